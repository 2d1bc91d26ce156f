package io.deltaplane.metadata.snapshot;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;

/** Commits newest first. */
public record HistoryResponse(List<Entry> commits, String nextPageToken) {

    public record Entry(
            long version,
            Instant timestamp,
            String operation,
            @JsonRawValue String commitInfo) {}
}
