package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedTableService;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.api.TableResponse;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Securable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {};

    private final StorageRoots roots;
    private final GrantStore grants;
    private final TableService tables;
    private final CatalogManagedTableService managed;

    public UnityTableInfos(
            StorageRoots roots, GrantStore grants, TableService tables, CatalogManagedTableService managed) {
        this.roots = requireNonNull(roots, "roots");
        this.grants = requireNonNull(grants, "grants");
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
    }

    /** Lets an EXTERNAL table take in what engines committed to its log before it is shown. */
    void followLog(String fullName) {
        managed.follow(fullName);
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
                managed.unityId(table.tableId()));
    }

    List<Summary> summaries(
            String catalog, String[] schemas, String schemaLike, String tableLike, String after, int limit) {
        return tables.summaries(catalog, schemas, schemaLike, tableLike, after, limit).stream()
                .map(t -> new Summary(
                        t.schema(), t.name(), t.fullName(), tableType(t.catalog(), t.schema(), t.name(), t.location())))
                .toList();
    }

    /** MANAGED where the platform chose the location, EXTERNAL where the creator named it. */
    String tableType(String catalog, String schema, String name, String location) {
        return roots.isManaged(catalog, schema, name, location) ? "MANAGED" : "EXTERNAL";
    }
}
