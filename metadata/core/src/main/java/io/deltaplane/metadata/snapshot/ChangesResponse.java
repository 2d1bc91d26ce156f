package io.deltaplane.metadata.snapshot;

import static io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue.TRUE;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.deltaplane.metadata.delta.ChangeDataFeed;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The Delta actions of each version in a range, oldest first. When the range was cut at
 * {@code max_results} versions, {@code next_from_version} says where to continue.
 */
public record ChangesResponse(long fromVersion, long toVersion, List<Change> changes, Long nextFromVersion) {

    /**
     * One version; {@code actions} is its Delta log entry, passed through as a JSON array; {@code
     * changeFiles} the files Delta's change-feed reader reads for it: its {@code cdc} files
     * (change type {@code cdc}: each row's {@code _change_type} says insert, delete,
     * update_preimage or update_postimage) when it wrote change data, else the files it added
     * ({@code insert}) and removed ({@code delete}) that change data.
     */
    public record Change(
            long version,
            Instant timestamp,
            String operation,

            @JsonRawValue
            @ArraySchema(
                    schema = @Schema(implementation = Map.class, additionalProperties = TRUE),
                    arraySchema =
                            @Schema(
                                    types = "array",
                                    description = "The version's Delta actions in log order, commitInfo first; each"
                                            + " object has one member, named after the action (commitInfo, protocol,"
                                            + " metaData, add, remove, txn, domainMetadata, …)",
                                    example = ACTIONS_EXAMPLE))
            String actions,

            List<ChangeDataFeed.ChangeFile> changeFiles) {}

    static final String ACTIONS_EXAMPLE = "[{\"commitInfo\":{\"operation\":\"WRITE\",\"timestamp\":1767225600000}},"
            + "{\"add\":{\"path\":\"part-0.parquet\",\"partitionValues\":{},\"size\":1024,"
            + "\"modificationTime\":1767225600000,\"dataChange\":true}}]";
}
