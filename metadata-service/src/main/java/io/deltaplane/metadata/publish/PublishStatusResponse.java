package io.deltaplane.metadata.publish;

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
        Instant lastErrorAt) {

    static PublishStatusResponse of(PublishState state, long tableVersion, Instant now) {
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
                state.lastErrorAt());
    }
}
