package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository.FileRow;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.TableMetadata;
import tools.jackson.databind.JsonNode;

/**
 * Which partition spec a table's files were added under, by the Delta version that added them: the
 * table's {@code iceberg_partition_specs} as a conversion pass starts, and the specs the pass adds
 * files under as it goes (they reach Postgres when the pass commits). A file is removed under the
 * spec it was added with — Iceberg looks for it in that spec's manifests only.
 */
final class SpecHistory {

    private final NavigableMap<Long, Integer> specs;
    private final LongFunction<JsonNode> metaDataAt;

    /**
     * @param specs the version each spec became the one files were added under, oldest first
     * @param metaDataAt the Delta metaData in force at a version (whose partition columns key a
     *     spec's values)
     */
    SpecHistory(NavigableMap<Long, Integer> specs, LongFunction<JsonNode> metaDataAt) {
        this.specs = specs;
        this.metaDataAt = metaDataAt;
    }

    /** Records that {@code version}'s files were added under {@code specId}. */
    void addedUnder(long version, int specId) {
        if (specs.isEmpty() || specs.lastEntry().getValue() != specId) {
            specs.put(version, specId);
        }
    }

    /**
     * The entries a removed file is named with: under the spec in force at the version that added it
     * (or at the table's first converted version, for a file older than that), its partition values
     * read by that spec's keys (the partition columns of the metaData that made the spec current).
     */
    Function<FileRow, DataFileEntries> removedUnder(TableMetadata metadata, DataFileEntries current) {
        Map<Integer, DataFileEntries> bySpec = new HashMap<>();
        bySpec.put(metadata.defaultSpecId(), current);
        return row -> {
            Map.Entry<Long, Integer> since = specs.floorEntry(row.addedVersion());
            if (since == null) {
                since = specs.firstEntry();
            }
            if (since == null) {
                return current;
            }
            long from = since.getKey();
            return bySpec.computeIfAbsent(since.getValue(), specId -> {
                PartitionSpec spec = metadata.specsById().get(specId);
                if (spec == null) {
                    throw new IllegalStateException("the Iceberg metadata has no partition spec " + specId);
                }
                return current.withSpec(spec, DeltaMetaData.partitionKeys(metaDataAt.apply(from)));
            });
        };
    }
}
