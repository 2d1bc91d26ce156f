package io.deltaplane.ingest.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/ingest/mappings/{name}/status}. Offsets are the sink's (the control table). */
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
        Long rowsWouldDeadLetter) {

    public MappingStatus {
        partitions = List.copyOf(partitions);
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
                rowsWouldDeadLetter);
    }

    /**
     * One partition: the next offset the sink resumes from, the events still to ingest, and how far
     * behind that is in time (how old the newest event read is while events wait behind it).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartitionStatus(int partition, Long sinkOffset, Long lag, Double lagSeconds) {}
}
