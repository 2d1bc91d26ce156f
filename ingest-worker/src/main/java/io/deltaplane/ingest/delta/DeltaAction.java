package io.deltaplane.ingest.delta;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.SortedMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Delta log actions an ingest commit writes, typed, with the protocol's own (camelCase) field
 * names whatever the worker's JSON naming: {@code commitInfo}, {@code txn}, {@code add}. Each becomes
 * the one-key object the log holds ({@code {"add": {…}}}).
 */
sealed interface DeltaAction {

    /** The action's key in the log: {@code add}, {@code txn}, {@code commitInfo}. */
    String key();

    default JsonNode toJson(JsonMapper json) {
        return json.createObjectNode().set(key(), json.valueToTree(this));
    }

    /**
     * Who wrote the version and from what: Spark's streaming-write fields, the lineage run that wrote
     * it ({@code deltaplaneRunId}, omitted without one) and the ingest source ({@code
     * deltaplane.ingest}).
     */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CommitInfo(
            String operation,
            Map<String, String> operationParameters,
            String engineInfo,
            @JsonProperty("isBlindAppend") boolean isBlindAppend,
            String deltaplaneRunId,
            @JsonProperty("deltaplane.ingest") IngestSource source)
            implements DeltaAction {

        @Override
        public String key() {
            return "commitInfo";
        }
    }

    /**
     * The mapping, the stream and, per source partition, the offsets the version covers: from the
     * first in the batch until the next to read.
     */
    record IngestSource(String mapping, String stream, SortedMap<Integer, OffsetRange> offsets) {}

    /** Offsets {@code from} (the batch's first) {@code until} (the next to read). */
    record OffsetRange(long from, long until) {}

    /** A writer's progress ({@code appId}), Delta's idempotent-writer mechanism: see {@link IngestTxn}. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    record Txn(String appId, long version, long lastUpdated) implements DeltaAction {

        @Override
        public String key() {
            return "txn";
        }
    }

    /** A data file the version adds; {@code path} relative to the table, URL-encoded as the protocol says. */
    @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
    record Add(
            String path,
            Map<String, String> partitionValues,
            long size,
            long modificationTime,
            boolean dataChange,
            String stats)
            implements DeltaAction {

        @Override
        public String key() {
            return "add";
        }
    }
}
