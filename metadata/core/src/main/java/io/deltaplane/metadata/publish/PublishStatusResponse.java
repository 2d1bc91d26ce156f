package io.deltaplane.metadata.publish;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/** {@code GET /tables/{full_name}/publish}. Versions are null while nothing is published/checkpointed. */
public record PublishStatusResponse(
        UUID tableId,
        String fullName,
        long tableVersion,
        Long publishedVersion,
        long lagVersions,
        double lagSeconds,
        Long lastCheckpointVersion,
        String lastError,
        Instant lastErrorAt,

        @Schema(
                description = "The table's Iceberg metadata: the Delta version it reflects, its current"
                        + " metadata file and the last conversion failure; null before the first conversion",
                nullable = true)
        IcebergStatusSource.IcebergStatus iceberg) {

    static PublishStatusResponse of(
            PublishState state, long tableVersion, Instant now, IcebergStatusSource.IcebergStatus iceberg) {
        long published = state.publishedVersion();
        long lag = Math.max(0, tableVersion - published);
        return new PublishStatusResponse(
                state.tableId(),
                state.fullName(),
                tableVersion,
                published < 0 ? null : published,
                lag,
                lag == 0 ? 0 : state.lagSeconds(now),
                state.lastCheckpointVersion(),
                state.lastError(),
                state.lastErrorAt(),
                iceberg);
    }
}
