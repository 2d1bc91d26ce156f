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

    /** Items per {@code POST /snapshots/batch} at most. */
    public static final int MAX_BATCH = 1000;

    /**
     * {@code POST /snapshots/batch}: many table versions in one request (metadata-service's relay).
     * Only the envelope is checked as a whole; each item is checked on its own (see {@link
     * BatchSnapshot}).
     */
    public record SnapshotBatch(
            @NotNull @Size(min = 1, max = MAX_BATCH) List<@NotNull BatchSnapshot> snapshots) {}

    /**
     * One versioned snapshot of a batch: what {@code POST /tables/{name}/snapshots} takes, plus the
     * table name and, optionally, the request id of the commit that made the version. The version is
     * required here: it is what makes a repeat recognisable. An item breaking these rules is
     * rejected on its own ({@link BatchOutcome#REJECTED}); the others are still recorded.
     */
    public record BatchSnapshot(
            @NotBlank String tableName,
            @NotBlank @Size(max = 4096) String uri,
            @NotBlank @Pattern(regexp = FORMAT) String format,
            JsonNode schema,
            @NotNull @Min(0) Long version,
            Instant createdAt,
            UUID runId,
            String requestId) {}

    /** What happened to one item of a batch. */
    public enum BatchOutcome {
        /** Stored now. */
        RECORDED,
        /** That (table, version, uri) was already stored (by an earlier delivery or earlier in this batch). */
        ALREADY_RECORDED,
        /** Not stored: the item breaks a rule; {@code error_code} and {@code detail} say which. */
        REJECTED
    }

    /** Per item, in request order ({@code index} is the item's position). */
    public record BatchItemResult(
            int index,
            String tableName,
            Long version,
            BatchOutcome outcome,
            @JsonInclude(JsonInclude.Include.NON_NULL) Long snapshotId,
            @JsonInclude(JsonInclude.Include.NON_NULL) String errorCode,
            @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {}

    public record BatchResult(int recorded, int alreadyRecorded, int rejected, List<BatchItemResult> results) {}

    public record SnapshotPage(
            List<Snapshot> snapshots,
            @JsonInclude(JsonInclude.Include.NON_NULL) String nextPageToken) {}

    /** A table a run read, and which snapshot of it. */
    public record RunInput(
            String tableName, Long snapshotId, String uri, String format, Long version, Instant readAt) {}
}
