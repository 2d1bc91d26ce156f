package io.deltaplane.ingest.delta;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Delta-target settings ({@code deltaplane.delta-target.*}).
 *
 * @param stagingDir where Parquet files are written before they are uploaded to the table's location
 * @param compactionMinFiles a table with at least this many small files is compacted (the worker
 *     asks metadata-service's OPTIMIZE to do it)
 * @param compactionSmallFileBytes files below this size count towards {@code compactionMinFiles}
 * @param compactionTargetBytes OPTIMIZE's {@code target_file_size_bytes}: it rewrites each
 *     partition's files below this size into files of about this size (at least 1024, OPTIMIZE's
 *     minimum)
 * @param compactionInterval how often the worker looks for tables to compact
 * @param workerId this worker among those sharing a warehouse (empty: the {@code HOSTNAME}
 *     environment variable — the pod's or container's name — else an id new to this process); must
 *     differ between live workers. A worker restarted under the same id settles the batches its
 *     previous process left at once; another worker's, only once their lease has run out
 * @param pendingLease how long a batch in flight is its worker's alone: longer than a batch's upload
 *     and commit retries take (a worker still at it after this gives the batch up and writes it again)
 */
@Validated
@ConfigurationProperties("deltaplane.delta-target")
public record DeltaTargetProperties(
        @NotNull Path stagingDir,
        @DefaultValue("50") @Min(2) int compactionMinFiles,
        @DefaultValue("16777216") @Min(1) long compactionSmallFileBytes,
        @DefaultValue("134217728") @Min(1024) long compactionTargetBytes,
        @DefaultValue("30s") @NotNull Duration compactionInterval,
        @DefaultValue("") @NotNull String workerId,
        @DefaultValue("5m") @NotNull Duration pendingLease) {

    /** The worker id: as set, else the {@code HOSTNAME} environment variable, else one new to this process. */
    public String resolvedWorkerId() {
        if (!workerId.isBlank()) {
            return workerId;
        }
        String host = System.getenv("HOSTNAME");
        return host != null && !host.isBlank() ? host : "worker-" + UUID.randomUUID();
    }
}
