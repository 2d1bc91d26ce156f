package io.deltaplane.ingest.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A mapping as clients send and read it: where events come from, where they land, how JSON fields
 * become columns and how big a batch is. Connections are named by reference (environment variable
 * names), never by value, so a mapping never holds a secret.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MappingSpec(
        String name,
        SourceSpec source,
        TargetSpec target,
        String format,
        List<ColumnSpec> columns,
        BatchSpec batch,
        Boolean dryRun,
        Boolean enabled) {

    public MappingSpec {
        columns = columns == null ? null : List.copyOf(columns);
    }

    public boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    /** True when the target keeps the raw payload instead of typed columns. */
    public boolean raw() {
        return columns == null || columns.isEmpty();
    }

    public MappingSpec withName(String newName) {
        return new MappingSpec(newName, source, target, format, columns, batch, dryRun, enabled);
    }

    /** Kafka or Event Hubs, with connection settings by reference. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SourceSpec(
            String type,
            String topic,
            String eventHub,
            String consumerGroup,
            String bootstrapServers,
            String securityProtocol,
            SaslSpec sasl,
            String connectionStringEnv,
            String fullyQualifiedNamespace,
            Integer prefetch,
            String startFrom) {

        public static final String KAFKA = "kafka";
        public static final String EVENTHUBS = "eventhubs";

        /** The topic or event hub name: what offsets are kept against. */
        public String stream() {
            return KAFKA.equals(type) ? topic : eventHub;
        }

        public boolean startFromLatest() {
            return "latest".equals(startFrom);
        }
    }

    /** SASL credentials by the names of the environment variables that hold them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SaslSpec(String mechanism, String usernameEnv, String passwordEnv) {}

    /** A DuckDB / MotherDuck table; {@code database} defaults to the warehouse's own. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetSpec(String database, String schema, String table) {}

    /** One typed column taken from the JSON payload at {@code path} (default {@code $.<name>}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ColumnSpec(String name, String type, String path, Boolean required) {

        public String effectivePath() {
            return path == null ? "$." + name : path;
        }

        /** A column is required unless it says otherwise: a missing field is a dead letter. */
        public boolean isRequired() {
            return required == null || required;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BatchSpec(Integer maxRows, Integer maxWaitMs) {
        public static final int DEFAULT_MAX_ROWS = 10_000;
        public static final int DEFAULT_MAX_WAIT_MS = 1_000;

        public int rows() {
            return maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        }

        public int waitMs() {
            return maxWaitMs == null ? DEFAULT_MAX_WAIT_MS : maxWaitMs;
        }
    }
}
