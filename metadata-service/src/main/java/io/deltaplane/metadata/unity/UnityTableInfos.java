package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.api.TableResponse;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Securable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds UC's view of tables: {@code TableInfo}s and the summaries of {@code /table-summaries}. */
@Component
public class UnityTableInfos {

    /** One row of a summary listing; {@code cursor} orders the listing ({@code schema.name}). */
    public record Summary(String schema, String name, String fullName, String tableType) {
        String cursor() {
            return schema + "." + name;
        }
    }

    static final String SUMMARIES = "SELECT catalog, schema, name, location FROM tables WHERE catalog = ?"
            + " AND (CAST(? AS text[]) IS NULL OR schema = ANY(CAST(? AS text[])))"
            + " AND schema LIKE ? AND name LIKE ? AND schema || '.' || name > ?"
            + " ORDER BY schema || '.' || name LIMIT ?";

    /** Tables an engine created through the Delta API keep the UC id they were staged with. */
    static final String UNITY_ID = "SELECT unity_id FROM unity_tables WHERE table_id = ?";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {};

    private final StorageRoots roots;
    private final GrantStore grants;
    private final JdbcClient jdbc;

    public UnityTableInfos(StorageRoots roots, GrantStore grants, JdbcClient jdbc) {
        this.roots = requireNonNull(roots, "roots");
        this.grants = requireNonNull(grants, "grants");
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    UnityTableInfo of(TableResponse table) {
        Map<String, String> properties = JSON.readValue(table.properties(), PROPERTIES);
        return new UnityTableInfo(
                table.name(),
                table.catalogName(),
                table.schemaName(),
                tableType(table.catalogName(), table.schemaName(), table.name(), table.location()),
                "DELTA",
                UnityColumns.of(table.schema(), table.partitionColumns()),
                table.location(),
                table.comment(),
                properties,
                grants.owner(Securable.table(table.fullName())).orElse(null),
                UnityCatalogApi.millis(table.createdAt()),
                UnityCatalogApi.millis(table.updatedAt()),
                jdbc.sql(UNITY_ID)
                        .param(table.tableId())
                        .query(java.util.UUID.class)
                        .optional()
                        .orElse(table.tableId()));
    }

    List<Summary> summaries(
            String catalog, String[] schemas, String schemaLike, String tableLike, String after, int limit) {
        return jdbc.sql(SUMMARIES)
                .params(catalog, schemas, schemas, schemaLike, tableLike, after, limit)
                .query((rs, n) -> new Summary(
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3),
                        tableType(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))))
                .list();
    }

    /** MANAGED where the platform chose the location, EXTERNAL where the creator named it. */
    String tableType(String catalog, String schema, String name, String location) {
        return roots.isManaged(catalog, schema, name, location) ? "MANAGED" : "EXTERNAL";
    }
}
