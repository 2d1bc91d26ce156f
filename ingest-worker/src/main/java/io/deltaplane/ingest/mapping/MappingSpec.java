package io.deltaplane.ingest.mapping;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
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

    /**
     * Where rows land. {@code type} {@code duckdb} (the default): a DuckDB / MotherDuck table, {@code
     * database} defaulting to the warehouse's own. {@code delta}: a Delta table of the metadata
     * service, {@code table} its {@code catalog.schema.table} name, created with the mapping's columns
     * when missing and optionally partitioned by {@code partitionBy}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetSpec(
            @Schema(
                    allowableValues = {"duckdb", "delta"},
                    description = "duckdb (default): a DuckDB / MotherDuck table; delta: a Delta table of"
                            + " metadata-service, created with the mapping's columns when missing")
            String type,

            @Schema(description = "duckdb only: the DuckDB database (default: the warehouse's own)")
            String database,

            @Schema(description = "duckdb only: the schema") String schema,

            @Schema(description = "duckdb: the table name; delta: catalog.schema.table", example = "lake.raw.events")
            String table,

            @Schema(
                    description = "delta only: partition columns — mapping columns, _partition or"
                            + " _ingested_date (the UTC date the row was ingested)",
                    example = "[\"_ingested_date\"]")
            List<String> partitionBy) {

        public static final String DUCKDB = "duckdb";
        public static final String DELTA = "delta";

        public TargetSpec {
            partitionBy = partitionBy == null ? null : List.copyOf(partitionBy);
        }

        /** A DuckDB / MotherDuck target. */
        public TargetSpec(String database, String schema, String table) {
            this(null, database, schema, table, null);
        }

        @JsonIgnore
        public boolean isDelta() {
            return DELTA.equals(type);
        }

        @JsonIgnore
        public List<String> partitionColumns() {
            return partitionBy == null ? List.of() : partitionBy;
        }
    }

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
    public record BatchSpec(
            @Schema(description = "a batch ends at this many events (default 10,000; 1..1,000,000)")
            Integer maxRows,

            @Schema(description = "or once its first event waited this long (default 1,000; 1..600,000)")
            Integer maxWaitMs,

            @Schema(
                    description =
                            "or once its events' payloads hold this many bytes (default 64 MiB; 1,024..1,073,741,824)")
            Long maxBytes) {
        public static final int DEFAULT_MAX_ROWS = 10_000;
        public static final int DEFAULT_MAX_WAIT_MS = 1_000;
        /** Events' payload bytes a batch holds at most: bounds the worker's memory for large events. */
        public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

        public BatchSpec(Integer maxRows, Integer maxWaitMs) {
            this(maxRows, maxWaitMs, null);
        }

        public long bytes() {
            return maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
        }

        public int rows() {
            return maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        }

        public int waitMs() {
            return maxWaitMs == null ? DEFAULT_MAX_WAIT_MS : maxWaitMs;
        }
    }
}
