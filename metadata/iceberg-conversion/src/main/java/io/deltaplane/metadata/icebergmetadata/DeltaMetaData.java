package io.deltaplane.metadata.icebergmetadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Delta metaData as Iceberg sees it: the converted schema, the identity partition spec on its
 * partition columns, the keys of its files' partitionValues for that spec's fields, and the table
 * properties it sets.
 */
record DeltaMetaData(IcebergSchemas.Converted converted, PartitionSpec spec, List<String> partitionKeys) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static DeltaMetaData of(JsonNode metaData, org.apache.iceberg.Schema previous, int lastColumnId) {
        Map<String, String> configuration = new HashMap<>();
        metaData.path("configuration")
                .properties()
                .forEach(e -> configuration.put(e.getKey(), e.getValue().asString()));
        String schemaString = metaData.path("schemaString").asString();
        IcebergSchemas.Converted converted =
                IcebergSchemas.convert(schemaString, configuration, previous, lastColumnId);
        PartitionSpec.Builder spec =
                PartitionSpec.builderFor(converted.schema()).caseSensitive(false);
        for (JsonNode column : metaData.path("partitionColumns")) {
            spec.identity(column.asString());
        }
        List<String> keys = partitionKeys(metaData);
        return new DeltaMetaData(converted, spec.build(), List.copyOf(keys));
    }

    /**
     * The keys of a file's {@code partitionValues} under this metaData, in its partition columns'
     * order: the columns' physical names under column mapping, their names otherwise.
     */
    static List<String> partitionKeys(JsonNode metaData) {
        Map<String, String> configuration = new HashMap<>();
        metaData.path("configuration")
                .properties()
                .forEach(e -> configuration.put(e.getKey(), e.getValue().asString()));
        boolean mapped = !configuration
                .getOrDefault(IcebergSchemas.COLUMN_MAPPING_MODE, "none")
                .equals("none");
        JsonNode fields =
                JSON.readTree(metaData.path("schemaString").asString()).path("fields");
        List<String> keys = new ArrayList<>();
        for (JsonNode column : metaData.path("partitionColumns")) {
            String name = column.asString();
            String key = name;
            for (JsonNode field : fields) {
                // Delta's column names are case-insensitive
                if (mapped && field.path("name").asString().equalsIgnoreCase(name)) {
                    key = field.path("metadata")
                            .path(IcebergSchemas.PHYSICAL_NAME)
                            .asString(name);
                }
            }
            keys.add(key);
        }
        return List.copyOf(keys);
    }

    /**
     * The table properties a metaData sets. The name mapping keeps what earlier schemas mapped
     * ({@link NameMappings#keepingEarlier}): it is the table's, not a snapshot's, so a column dropped
     * since must still be found in the files of the snapshots that had it.
     */
    Map<String, String> properties(TableMetadata base) {
        Map<String, String> properties = new HashMap<>();
        NameMapping mapping = converted().nameMapping();
        String earlier = base == null ? null : base.property(TableProperties.DEFAULT_NAME_MAPPING, null);
        if (earlier != null) {
            mapping = NameMappings.keepingEarlier(mapping, NameMappingParser.fromJson(earlier));
        }
        properties.put(TableProperties.DEFAULT_NAME_MAPPING, NameMappingParser.toJson(mapping));
        // Every snapshot is in the current metadata file; older metadata files serve nobody.
        properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
        properties.put(TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "10");
        return properties;
    }
}
