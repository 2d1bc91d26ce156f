package io.deltaplane.metadata.icebergmetadata;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.TableMetadata;

/**
 * The Iceberg metadata files read last (an Iceberg load, and every conversion's refresh, reads its
 * table's current one), least recently used out first, bounded by the snapshots they hold rather
 * than by their number: a table's metadata holds every snapshot of its kept history, so 256 metadata
 * versions of busy tables held thousands of snapshots each and took a service with the heap {@code
 * ./platform} gives it (384 MB) out of memory within three minutes of sustained commits. A metadata
 * heavier than the whole bound is read each time and not kept. (A least-recently-used order on
 * purpose: the newest metadata of a table is the one read next; a frequency-based cache such as
 * Caffeine's would not admit it.) The bound is {@code deltaplane.iceberg.recent-snapshots}: 20,000
 * by default, about 40 MB (a snapshot with its summary is about 2 KB on the heap).
 */
final class RecentMetadata {

    private final long maxWeight;
    /** Guarded by itself; in access order. */
    private final LinkedHashMap<String, TableMetadata> recent = new LinkedHashMap<>(16, 0.75f, true);
    /** What {@link #recent} holds, each metadata weighing one plus its snapshots; guarded by {@link #recent}. */
    private long weight;

    RecentMetadata(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    /** The metadata file at {@code location}: each is written once under a unique name and never changes. */
    TableMetadata read(String location, Function<String, TableMetadata> reader) {
        synchronized (recent) {
            TableMetadata known = recent.get(location);
            if (known != null) {
                return known;
            }
        }
        TableMetadata metadata = reader.apply(location); // outside the lock: a read of storage
        remember(location, metadata);
        return metadata;
    }

    /**
     * Keeps {@code metadata}, just written at {@code location}, so the refresh after the commit that
     * wrote it finds it here instead of parsing the file back.
     */
    void remember(String location, TableMetadata metadata) {
        long itsWeight = weight(metadata);
        if (itsWeight > maxWeight) {
            return;
        }
        synchronized (recent) {
            TableMetadata before = recent.put(location, metadata);
            weight += itsWeight - (before == null ? 0 : weight(before));
            Iterator<Map.Entry<String, TableMetadata>> eldest =
                    recent.entrySet().iterator();
            while (weight > maxWeight && eldest.hasNext()) {
                weight -= weight(eldest.next().getValue());
                eldest.remove();
            }
        }
    }

    /** The snapshots (and files) held now. */
    long weight() {
        synchronized (recent) {
            return weight;
        }
    }

    private static long weight(TableMetadata metadata) {
        return 1L + metadata.snapshots().size();
    }
}
