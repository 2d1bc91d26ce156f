package io.deltaplane.ingest.delta;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
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
 */
@Validated
@ConfigurationProperties("deltaplane.delta-target")
public record DeltaTargetProperties(
        @NotNull Path stagingDir,
        @DefaultValue("50") @Min(2) int compactionMinFiles,
        @DefaultValue("16777216") @Min(1) long compactionSmallFileBytes,
        @DefaultValue("134217728") @Min(1024) long compactionTargetBytes,
        @DefaultValue("30s") @NotNull Duration compactionInterval) {}
