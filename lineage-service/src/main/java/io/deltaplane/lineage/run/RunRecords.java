package io.deltaplane.lineage.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deltaplane.lineage.artifact.ArtifactRepository.LinkedArtifact;
import io.deltaplane.lineage.event.EventRecords.Event;
import io.deltaplane.lineage.runref.RunState;
import io.deltaplane.lineage.snapshot.Snapshot;
import io.deltaplane.lineage.snapshot.SnapshotRecords.RunInput;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of the run endpoints (snake_case on the wire). */
public final class RunRecords {
    private RunRecords() {}

    /** {@code POST /jobs/{job}/runs}; {@code heartbeat_timeout_seconds} overrides the default timeout. */
    public record StartRun(
            JsonNode metadata,
            Instant nominalTime,
            @Min(1) @Max(604_800) Long heartbeatTimeoutSeconds) {}

    public record RunStarted(UUID runId, String jobName, RunState state, Instant startedAt) {}

    /** {@code PUT /jobs/{job}/runs/{run}/complete}. */
    public record CompleteRun(
            @NotNull Boolean success,
            JsonNode extra,
            @Size(max = 100) List<@Valid @NotNull ArtifactLink> artifacts) {}

    public record ArtifactLink(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}")
            String type,

            @NotBlank @Size(max = 2048) String uri) {}

    public record RunCompleted(UUID runId, RunState state, Instant endedAt) {}

    public record RunSummary(
            UUID runId,
            String jobName,
            RunState state,
            Instant startedAt,
            Instant endedAt,
            Instant nominalTime,
            String source) {}

    public record RunPage(
            List<RunSummary> runs,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {}

    /**
     * A row of {@code GET /runs}: the run, how long it took ({@code null} while RUNNING) and the
     * tables it read and wrote.
     */
    public record RecentRun(
            UUID runId,
            String jobName,
            RunState state,
            Instant startedAt,
            Instant endedAt,
            Long durationMs,
            Instant nominalTime,
            String source,
            List<String> inputs,
            List<String> outputs) {}

    public record RecentRunPage(
            List<RecentRun> runs,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {}

    /** Everything about one run: what it read, wrote, said and left behind. */
    public record RunView(
            UUID runId,
            String jobName,
            RunState state,
            Instant startedAt,
            Instant endedAt,
            Instant nominalTime,
            Instant lastHeartbeatAt,
            JsonNode metadata,
            Boolean success,
            JsonNode extra,
            String source,
            List<Event> events,
            List<RunInput> inputs,
            List<Snapshot> outputs,
            List<LinkedArtifact> artifacts) {}
}
