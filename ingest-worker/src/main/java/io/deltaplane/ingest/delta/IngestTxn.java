package io.deltaplane.ingest.delta;

import java.util.HashMap;
import java.util.Map;

/**
 * How a mapping's source positions live in a Delta table: one txn action per source partition, with
 * {@code appId} {@code deltaplane-ingest:<mapping>:<stream>:<partition>} and {@code version} the next
 * offset (Kafka) or sequence number (Event Hubs) to read. A txn version only grows, every batch of
 * a partition raises it, and it lands in the same commit as the batch's files: the table itself
 * says where to resume, which is Delta's own idempotent-writer mechanism (Spark's foreachBatch and
 * Kafka Connect sinks use the same {@code txn}). A version of {@link #NONE} (-1, what Delta's
 * writers read for an application with no txn) says the partition has no position yet: a sink's
 * fence records it to stop an append still in flight (see {@code DeltaSink}).
 */
public final class IngestTxn {

    /** The txn version of a partition that has no position: nothing of it has landed. */
    public static final long NONE = -1;

    private static final String PREFIX = "deltaplane-ingest:";

    private final String prefix;

    public IngestTxn(String mapping, String stream) {
        this.prefix = PREFIX + mapping + ":" + stream + ":";
    }

    public String appId(int partition) {
        return prefix + partition;
    }

    /** Per partition, the next offset the table's txn versions record for this mapping and stream. */
    public Map<Integer, Long> positions(Map<String, Long> appVersions) {
        Map<Integer, Long> positions = new HashMap<>();
        appVersions.forEach((appId, version) -> {
            if (appId.startsWith(prefix) && version != NONE) {
                try {
                    positions.put(Integer.parseInt(appId.substring(prefix.length())), version);
                } catch (NumberFormatException ignored) {
                    // Another writer's appId that happens to share the prefix: not ours.
                }
            }
        });
        return positions;
    }
}
