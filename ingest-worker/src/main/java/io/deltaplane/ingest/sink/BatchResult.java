package io.deltaplane.ingest.sink;

import java.util.Map;

/** What one batch did (or, in a dry run, would have done). */
public record BatchResult(
        long rows, long deadLetters, Map<Integer, Long> nextOffsets, long durationNanos, boolean dryRun) {

    public BatchResult {
        nextOffsets = Map.copyOf(nextOffsets);
    }
}
