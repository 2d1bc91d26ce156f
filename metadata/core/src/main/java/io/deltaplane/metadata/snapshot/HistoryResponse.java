package io.deltaplane.metadata.snapshot;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Commits newest first. */
public record HistoryResponse(List<Entry> commits, String nextPageToken) {

    /** One version; {@code commit_info} is its commitInfo action, passed through as JSON. */
    public record Entry(
            long version,
            Instant timestamp,
            String operation,

            @JsonRawValue
            @Schema(
                    implementation = Map.class,
                    additionalProperties = TRUE,
                    description = "The version's Delta commitInfo action",
                    example = "{\"operation\":\"WRITE\",\"engineInfo\":\"Deltaplane\","
                            + "\"timestamp\":1767225600000,\"inCommitTimestamp\":1767225600000}")
            String commitInfo) {}
}
