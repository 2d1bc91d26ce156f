package io.deltaplane.lineage.snapshot;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of the snapshot endpoints. */
public final class SnapshotRecords {
    private SnapshotRecords() {}

    static final String FORMAT = "[A-Za-z0-9_.-]{1,64}";

    /** {@code POST /jobs/register-snapshot}: the run becomes the snapshot's writer. */
    public record RegisterSnapshot(
            @NotBlank String tableName,
            @NotBlank @Size(max = 4096) String uri,
            @NotBlank @Pattern(regexp = FORMAT) String format,
            JsonNode schema,
            @Min(0) Long version,
            @NotBlank String jobName,
            @NotNull UUID runId) {}

    /** {@code POST /tables/{name}/snapshots}: a snapshot from outside a run (a Delta commit). */
    public record NewSnapshot(
            @NotBlank @Size(max = 4096) String uri,
            @NotBlank @Pattern(regexp = FORMAT) String format,
            JsonNode schema,
            @Min(0) Long version,
            Instant createdAt,
            UUID runId) {}

    public record SnapshotPage(
            List<Snapshot> snapshots,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {}

    /** A table a run read, and which snapshot of it. */
    public record RunInput(
            String tableName, Long snapshotId, String uri, String format, Long version, Instant readAt) {}
}
