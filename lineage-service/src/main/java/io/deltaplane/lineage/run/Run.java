package io.deltaplane.lineage.run;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.runref.RunState;
import java.time.Instant;
import java.util.UUID;

/** A run as stored; JSON columns stay text until a view needs them. */
public record Run(
        UUID id,
        long jobId,
        String jobName,
        RunState state,
        String metadataJson,
        Instant nominalTime,
        Instant startedAt,
        Instant endedAt,
        Instant lastHeartbeatAt,
        String completionJson,
        String source) {
    public Run {
        requireNonNull(id, "id");
        requireNonNull(jobName, "jobName");
        requireNonNull(state, "state");
        requireNonNull(startedAt, "startedAt");
        requireNonNull(source, "source");
    }
}
