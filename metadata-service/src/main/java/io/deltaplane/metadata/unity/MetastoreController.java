package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /metastore_summary}: the installation's metastore id, stable for its lifetime. */
@RestController
public class MetastoreController {

    static final String METASTORE_ID = "SELECT id FROM metastore";

    /** Deltaplane is one metastore; its name is fixed, its id made when the database was. */
    public record MetastoreSummary(UUID metastoreId, String name) {}

    private final JdbcClient jdbc;

    public MetastoreController(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** Anyone authenticated: engines ask for it before anything else. */
    @GetMapping(UnityCatalogApi.BASE + "/metastore_summary")
    public MetastoreSummary summary() {
        return new MetastoreSummary(jdbc.sql(METASTORE_ID).query(UUID.class).single(), "deltaplane");
    }
}
