package io.deltaplane.ingest.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/ingest/mappings/{name}/status}: every worker's view added up ({@link
 * WorkerStatuses}), whichever worker answers. Offsets are the sink's (the control table).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MappingStatus(
        String name,
        IngestState state,
        boolean dryRun,
        List<PartitionStatus> partitions,
        Long lag,
        long rowsIngested,
        long rowsDeadLettered,
        long batches,
        Instant lastBatchAt,
        Double lastBatchDurationMs,
        String lastError,
        Long rowsWouldWrite,
        Long rowsWouldDeadLetter,

        @Schema(
                description = "meant to consume and has not for 5 minutes: starting or retrying all that time,"
                        + " or running with events waiting on the broker and none read (not when paused)")
        boolean stalled,

        @Schema(
                description = "dead letters among the events of the last 20 batches; null before any batch"
                        + " (with several workers, the highest of theirs)")
        Double recentDeadLetterRatio,

        @Schema(
                description = "each worker that consumes the mapping or wrote to it, with what it last reported;"
                        + " absent in a worker's own report")
        List<WorkerStatus> workers) {

    public MappingStatus {
        partitions = List.copyOf(partitions);
        workers = workers == null ? null : List.copyOf(workers);
    }

    public MappingStatus withState(IngestState newState) {
        return new MappingStatus(
                name,
                newState,
                dryRun,
                partitions,
                lag,
                rowsIngested,
                rowsDeadLettered,
                batches,
                lastBatchAt,
                lastBatchDurationMs,
                lastError,
                rowsWouldWrite,
                rowsWouldDeadLetter,
                stalled,
                recentDeadLetterRatio,
                workers);
    }

    /**
     * One partition: the next offset the sink resumes from, the events still to ingest, and how far
     * behind that is in time (how old the newest event read is while events wait behind it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartitionStatus(int partition, Long sinkOffset, Long lag, Double lagSeconds) {}

    /**
     * One worker of the mapping: its state and partitions as it last reported them (none for a writer
     * known only from the warehouse's totals), what it wrote in all, and whether its report still
     * holds ({@code live}: it reported within three status intervals and has not stopped).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkerStatus(
            String worker,
            IngestState state,
            boolean live,
            List<Integer> partitions,
            long rowsIngested,
            long rowsDeadLettered,
            java.time.Instant reportedAt) {}
}
