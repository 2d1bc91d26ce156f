package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedTableService;
import io.deltaplane.metadata.table.api.TableResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Builds UC's view of tables: {@code TableInfo}s and the summaries of {@code /table-summaries}. */
@Component
public class UnityTableInfos {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {};

    private final CatalogManagedTableService managed;

    public UnityTableInfos(CatalogManagedTableService managed) {
        this.managed = requireNonNull(managed, "managed");
    }

    UnityTableInfo of(TableResponse table) {
        Map<String, String> properties = JSON.readValue(table.properties(), PROPERTIES);
        return new UnityTableInfo(
                table.name(),
                table.catalogName(),
                table.schemaName(),
                table.tableType(),
                "DELTA",
                UnityColumns.of(table.schema(), table.partitionColumns()),
                table.location(),
                table.comment(),
                properties,
                table.owner(),
                UnityCatalogApi.millis(table.createdAt()),
                UnityCatalogApi.millis(table.updatedAt()),
                managed.unityId(table.tableId()));
    }
}
