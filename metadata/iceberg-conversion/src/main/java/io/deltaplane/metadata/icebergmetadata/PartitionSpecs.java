package io.deltaplane.metadata.icebergmetadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.TableMetadata;

/**
 * How a Delta metaData's partition columns become the table's Iceberg partition spec, as Iceberg's
 * own spec evolution makes them: a spec on the same source columns (a partition column renamed
 * under column mapping) is the same spec, so files keep being added and removed under it; a new one
 * takes partition field ids no earlier spec used for another field (v2 requires them unique across
 * specs, and Iceberg's {@code Partitioning.partitionType} — the {@code partitions} metadata table,
 * Spark's {@code _partition} — fails without), reusing the id of an earlier field on the same
 * source and transform.
 */
final class PartitionSpecs {

    static final int FIRST_FIELD_ID = 1000;

    private static final tools.jackson.databind.json.JsonMapper JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private PartitionSpecs() {}

    /**
     * The spec to make the default for {@code wanted} (identity fields on the metaData's partition
     * columns, bound to the new schema), or null when {@code base}'s default already partitions by
     * the same source columns and transforms.
     */
    static PartitionSpec evolve(TableMetadata base, PartitionSpec wanted) {
        if (sameSources(base.spec(), wanted)) {
            return null;
        }
        Map<String, Integer> earlierIds = new HashMap<>();
        for (PartitionSpec spec : base.specs()) {
            for (PartitionField field : spec.fields()) {
                earlierIds.putIfAbsent(key(field), field.fieldId());
            }
        }
        // partition field ids start at 1000 (the spec's PARTITION_DATA_ID_START)
        int next = Math.max(base.lastAssignedPartitionId(), FIRST_FIELD_ID - 1);
        List<String> fields = new ArrayList<>();
        for (PartitionField field : wanted.fields()) {
            Integer id = earlierIds.get(key(field));
            if (id == null) {
                id = ++next;
            }
            fields.add(String.format(
                    "{\"name\":%s,\"transform\":\"%s\",\"source-id\":%d,\"field-id\":%d}",
                    quoted(field.name()), field.transform(), field.sourceId(), id));
        }
        // PartitionSpecParser is Iceberg's public way to a spec with chosen field ids
        return PartitionSpecParser.fromJson(
                wanted.schema(), "{\"spec-id\":0,\"fields\":[" + String.join(",", fields) + "]}");
    }

    /**
     * Refuses, by name, a schema with a column named as an identity partition field of any spec the
     * table has had on another column (a partition column renamed or dropped, then its old name taken
     * by a new column): Iceberg names an identity field after its source column for good and cannot
     * hold both, so such a table is not served rather than converted wrong.
     */
    static void requireFieldNamesFree(TableMetadata base, org.apache.iceberg.Schema next) {
        for (PartitionSpec spec : base.specs()) {
            for (PartitionField field : spec.fields()) {
                org.apache.iceberg.types.Types.NestedField column = next.findField(field.name());
                if (field.transform().isIdentity() && column != null && column.fieldId() != field.sourceId()) {
                    throw new IcebergUnsupported("a column named " + field.name()
                            + " beside the identity partition field of that name (partition spec " + spec.specId()
                            + ") on another column");
                }
            }
        }
    }

    static boolean sameSources(PartitionSpec a, PartitionSpec b) {
        if (a.fields().size() != b.fields().size()) {
            return false;
        }
        for (int i = 0; i < a.fields().size(); i++) {
            if (!key(a.fields().get(i)).equals(key(b.fields().get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static String key(PartitionField field) {
        return field.sourceId() + "/" + field.transform();
    }

    private static String quoted(String name) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(name);
    }
}
