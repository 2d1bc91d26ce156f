package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.MetadataClient.Optimized;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a table a stream writes has gathered enough small files and then asks the platform
 * to compact it: metadata-service's OPTIMIZE ({@code POST /api/v1/tables/{full_name}/optimize},
 * its {@code maintenance} package) is the one implementation. The platform rewrites each
 * partition's files below the target size into files of about that size and commits the removes
 * and adds with {@code dataChange: false}, so readers at every version see the same rows and
 * streaming readers of the table see no new data. It carries no {@code txn}: the stream's positions
 * are untouched, a stream commit landing meanwhile is rebased on by the platform, and the stream
 * never waits for it.
 */
public final class DeltaCompactor {

    private static final Logger log = LoggerFactory.getLogger(DeltaCompactor.class);

    /** The operation of the versions OPTIMIZE commits, as the table's history shows it. */
    static final String OPERATION = "OPTIMIZE";

    private final MetadataClient metadata;
    private final DeltaTargetProperties properties;

    public DeltaCompactor(MetadataClient metadata, DeltaTargetProperties properties) {
        this.metadata = requireNonNull(metadata, "metadata");
        this.properties = requireNonNull(properties, "properties");
    }

    /** What one compaction did: files removed, files added, the version committed (-1: none). */
    public record Outcome(int removed, int added, long version) {
        static final Outcome NONE = new Outcome(0, 0, -1);
    }

    /**
     * Compacts {@code target} if it has at least {@code compaction-min-files} live files smaller
     * than {@code compaction-small-file-bytes}: asks OPTIMIZE for files of {@code
     * compaction-target-bytes}. Errors are the {@link MetadataClient}'s (a 409
     * CONCURRENT_MODIFICATION is a {@link MetadataClient.Rejected}; nothing was committed).
     */
    public Outcome compact(DeltaTarget target) throws IOException {
        String table = target.fullName();
        long version = metadata.snapshot(table).version();
        AtomicInteger small = new AtomicInteger();
        metadata.files(table, version, add -> {
            if (add.path("size").asLong() < properties.compactionSmallFileBytes()) {
                small.incrementAndGet();
            }
        });
        if (small.get() < properties.compactionMinFiles()) {
            return Outcome.NONE;
        }
        Optimized optimized = metadata.optimize(table, properties.compactionTargetBytes());
        if (optimized.version().isEmpty()) {
            return Outcome.NONE;
        }
        log.info(
                "Compacted {}: {} small files into {} (version {})",
                table,
                optimized.filesRemoved(),
                optimized.filesAdded(),
                optimized.version().getAsLong());
        return new Outcome(
                optimized.filesRemoved(),
                optimized.filesAdded(),
                optimized.version().getAsLong());
    }
}
