package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository.FileRow;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
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

    private final Supplier<NavigableMap<Long, Integer>> read;
    private final LongFunction<JsonNode> metaDataAt;
    private final NavigableMap<Long, Integer> pass = new TreeMap<>();
    private NavigableMap<Long, Integer> stored;

    /**
     * @param read the version each spec became the one files were added under, oldest first, as
     *     Postgres has it; read once, and only when a file is removed
     * @param metaDataAt the Delta metaData in force at a version (whose partition columns key a
     *     spec's values)
     */
    SpecHistory(Supplier<NavigableMap<Long, Integer>> read, LongFunction<JsonNode> metaDataAt) {
        this.read = read;
        this.metaDataAt = metaDataAt;
    }

    /** Records that {@code version}'s files (a version of this pass, after every stored one) were added under {@code specId}. */
    void addedUnder(long version, int specId) {
        pass.put(version, specId);
    }

    /** The spec files added at {@code version} were added under: the latest change at or before it, else the first. */
    private Map.Entry<Long, Integer> since(long version) {
        Map.Entry<Long, Integer> since = pass.floorEntry(version);
        if (since != null) {
            return since;
        }
        if (stored == null) {
            stored = read.get();
        }
        since = stored.floorEntry(version);
        if (since == null) {
            since = stored.isEmpty() ? pass.firstEntry() : stored.firstEntry();
        }
        return since;
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
            Map.Entry<Long, Integer> since = since(row.addedVersion());
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
