package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogService;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /metastore_summary}: the installation's metastore id, stable for its lifetime. */
@RestController
public class MetastoreController {

    /** Deltaplane is one metastore; its name is fixed, its id made when the database was. */
    public record MetastoreSummary(UUID metastoreId, String name) {}

    private final CatalogService catalogs;

    public MetastoreController(CatalogService catalogs) {
        this.catalogs = requireNonNull(catalogs, "catalogs");
    }

    /** Anyone authenticated: engines ask for it before anything else. */
    @GetMapping(UnityCatalogApi.BASE + "/metastore_summary")
    public MetastoreSummary summary() {
        return new MetastoreSummary(catalogs.metastoreId(), "deltaplane");
    }
}
