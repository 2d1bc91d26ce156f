package io.deltaplane.ingest.sink;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events waiting to be written, kept column-wise as the source delivered them (payload bytes are not
 * decoded in Java: DuckDB parses them in SQL, which is several times faster than Jackson per event).
 */
public final class SinkBatch {

    private int size;
    private long bytes;
    private int[] partitions;
    private long[] offsets;
    private long[] timestamps;
    private byte[][] payloads;
    private final Map<Integer, Long> nextOffsets = new LinkedHashMap<>();

    public SinkBatch(int capacity) {
        int initial = Math.max(16, Math.min(capacity, 1 << 16));
        partitions = new int[initial];
        offsets = new long[initial];
        timestamps = new long[initial];
        payloads = new byte[initial][];
    }

    /** Adds one event; {@code timestampMs < 0} means unknown, a null payload is a dead letter. */
    public void add(int partition, long offset, long timestampMs, byte[] payload) {
        if (size == partitions.length) {
            int grown = size * 2;
            partitions = Arrays.copyOf(partitions, grown);
            offsets = Arrays.copyOf(offsets, grown);
            timestamps = Arrays.copyOf(timestamps, grown);
            payloads = Arrays.copyOf(payloads, grown);
        }
        partitions[size] = partition;
        offsets[size] = offset;
        timestamps[size] = timestampMs;
        payloads[size] = payload;
        size++;
        bytes += payload == null ? 0 : payload.length;
        nextOffsets.merge(partition, offset + 1, Math::max);
    }

    public int size() {
        return size;
    }

    /** The events' payload bytes (what {@code max_bytes} bounds). */
    public long bytes() {
        return bytes;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int partition(int i) {
        return partitions[i];
    }

    public long offset(int i) {
        return offsets[i];
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public byte[] payload(int i) {
        return payloads[i];
    }

    /** Per partition, the offset to resume from once this batch is committed. */
    public Map<Integer, Long> nextOffsets() {
        return Map.copyOf(nextOffsets);
    }

    public void clear() {
        Arrays.fill(payloads, 0, size, null);
        size = 0;
        bytes = 0;
        nextOffsets.clear();
    }
}
