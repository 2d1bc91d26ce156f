package io.deltaplane.ingest.mapping.api;

import io.deltaplane.ingest.delta.DeltaColumns;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.BatchSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SaslSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.mapping.MappingSpec.TargetSpec;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.InvalidField;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;

/**
 * Strict checks on a mapping body. Everything that later becomes SQL (identifiers, types, JSON
 * paths) is checked against an allow-list here, so the sink can quote and inline it safely.
 */
public final class MappingValidator {

    public static final Pattern MAPPING_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    static final Pattern GROUP = Pattern.compile("[A-Za-z0-9$._-]{1,255}");
    // Repeated groups are bounded: Java's matcher recurses once per repetition, so an unbounded one
    // overflows the stack on a long enough input (a 500, not a 422).
    static final Pattern BOOTSTRAP =
            Pattern.compile("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}(,[A-Za-z0-9.-]{1,253}:[0-9]{1,5}){0,63}");
    static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.-]{1,253}");
    static final int MAX_JSON_PATH_STEPS = 64;
    static final Pattern JSON_PATH =
            Pattern.compile("\\$(\\.[A-Za-z_][A-Za-z0-9_]{0,62}|\\[[0-9]{1,6}]){1," + MAX_JSON_PATH_STEPS + "}");
    static final Pattern DECIMAL = Pattern.compile("DECIMAL\\(([0-9]{1,2}),([0-9]{1,2})\\)");
    static final Set<String> TYPES = Set.of(
            "BOOLEAN",
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "HUGEINT",
            "FLOAT",
            "DOUBLE",
            "VARCHAR",
            "DATE",
            "TIME",
            "TIMESTAMP",
            "TIMESTAMPTZ",
            "UUID");
    static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    static final int MAX_ROWS = 1_000_000;
    static final int MAX_WAIT_MS = 600_000;
    static final long MIN_BYTES = 1024;
    static final long MAX_BYTES = 1L << 30;
    static final int MAX_COLUMNS = 256;
    static final int MAX_PARTITION_COLUMNS = 3;
    static final Pattern DELTA_TABLE =
            Pattern.compile(Names.PART_RULE + "\\." + Names.PART_RULE + "\\." + Names.PART_RULE);
    /** Floating point and time-of-day values make poor directories; Delta engines reject some of them. */
    static final Set<String> UNPARTITIONABLE = Set.of("FLOAT", "DOUBLE", "TIME", "HUGEINT");

    private MappingValidator() {}

    /** Throws 400 INVALID_NAME for a bad mapping name (e.g. in a path). */
    public static void checkName(String name) {
        if (name == null || !MAPPING_NAME.matcher(name).matches()) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME, "A mapping name must match " + MAPPING_NAME.pattern() + ".");
        }
    }

    /** Returns the spec with defaults filled in, or throws 422 listing every problem. */
    public static MappingSpec validate(MappingSpec spec) {
        checkName(spec.name());
        List<String> errors = new ArrayList<>();
        if (spec.format() != null && !"json".equals(spec.format())) {
            errors.add("format: only \"json\" is supported");
        }
        SourceSpec source = source(spec.source(), spec.name(), errors);
        target(spec.target(), spec.columns(), errors);
        columns(spec.columns(), errors);
        batch(spec.batch(), errors);
        if (!errors.isEmpty()) {
            // 422 as documented for mappings: the body is well-formed, the mapping it describes is not.
            throw InvalidField.problem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    errors.stream().map(InvalidField::parse).toList());
        }
        BatchSpec batch = spec.batch() == null ? new BatchSpec(null, null) : spec.batch();
        return new MappingSpec(
                spec.name(),
                source,
                folded(spec.target()),
                "json",
                spec.columns(),
                new BatchSpec(batch.rows(), batch.waitMs(), batch.bytes()),
                spec.isDryRun(),
                spec.isEnabled());
    }

    private static SourceSpec source(SourceSpec s, String mappingName, List<String> errors) {
        if (s == null) {
            errors.add("source: required");
            return null;
        }
        String group = s.consumerGroup();
        check(group == null || GROUP.matcher(group).matches(), "source.consumer_group: invalid", errors);
        check(
                s.startFrom() == null || Set.of("earliest", "latest").contains(s.startFrom()),
                "source.start_from: must be earliest or latest",
                errors);
        if (SourceSpec.KAFKA.equals(s.type())) {
            check(s.topic() != null && TOPIC.matcher(s.topic()).matches(), "source.topic: required, " + TOPIC, errors);
            check(s.eventHub() == null, "source.event_hub: only for type eventhubs", errors);
            check(s.prefetch() == null, "source.prefetch: only for type eventhubs", errors);
            check(
                    s.bootstrapServers() == null
                            || BOOTSTRAP.matcher(s.bootstrapServers()).matches(),
                    "source.bootstrap_servers: host:port[,host:port…]",
                    errors);
            check(
                    s.securityProtocol() == null || PROTOCOLS.contains(s.securityProtocol()),
                    "source.security_protocol: one of " + PROTOCOLS,
                    errors);
            check(
                    s.connectionStringEnv() == null
                            || ENV_NAME.matcher(s.connectionStringEnv()).matches(),
                    "source.connection_string_env: an environment variable name",
                    errors);
            sasl(s.sasl(), errors);
            return new SourceSpec(
                    s.type(),
                    s.topic(),
                    null,
                    group == null ? "deltaplane-ingest-" + mappingName : group,
                    s.bootstrapServers(),
                    s.securityProtocol(),
                    s.sasl(),
                    s.connectionStringEnv(),
                    null,
                    null,
                    s.startFrom() == null ? "earliest" : s.startFrom());
        }
        if (SourceSpec.EVENTHUBS.equals(s.type())) {
            check(
                    s.eventHub() != null && TOPIC.matcher(s.eventHub()).matches(),
                    "source.event_hub: required, " + TOPIC,
                    errors);
            check(s.topic() == null, "source.topic: only for type kafka", errors);
            check(
                    s.bootstrapServers() == null && s.sasl() == null && s.securityProtocol() == null,
                    "source: bootstrap_servers, security_protocol and sasl are only for type kafka",
                    errors);
            check(
                    s.connectionStringEnv() != null
                            && ENV_NAME.matcher(s.connectionStringEnv()).matches(),
                    "source.connection_string_env: required, an environment variable name",
                    errors);
            check(
                    s.fullyQualifiedNamespace() == null
                            || NAMESPACE.matcher(s.fullyQualifiedNamespace()).matches(),
                    "source.fully_qualified_namespace: a host name",
                    errors);
            check(
                    s.prefetch() == null || (s.prefetch() >= 1 && s.prefetch() <= 8000),
                    "source.prefetch: 1..8000",
                    errors);
            return new SourceSpec(
                    s.type(),
                    null,
                    s.eventHub(),
                    group == null ? "$Default" : group,
                    null,
                    null,
                    null,
                    s.connectionStringEnv(),
                    s.fullyQualifiedNamespace(),
                    s.prefetch() == null ? 500 : s.prefetch(),
                    s.startFrom() == null ? "earliest" : s.startFrom());
        }
        errors.add("source.type: must be \"kafka\" or \"eventhubs\"");
        return s;
    }

    private static void sasl(SaslSpec sasl, List<String> errors) {
        if (sasl == null) {
            return;
        }
        check(
                sasl.mechanism() != null && MECHANISMS.contains(sasl.mechanism()),
                "source.sasl.mechanism: one of " + MECHANISMS,
                errors);
        check(
                sasl.usernameEnv() != null
                        && ENV_NAME.matcher(sasl.usernameEnv()).matches(),
                "source.sasl.username_env: required, an environment variable name",
                errors);
        check(
                sasl.passwordEnv() != null
                        && ENV_NAME.matcher(sasl.passwordEnv()).matches(),
                "source.sasl.password_env: required, an environment variable name",
                errors);
    }

    private static void target(TargetSpec t, List<ColumnSpec> columns, List<String> errors) {
        if (t == null) {
            errors.add("target: required");
            return;
        }
        check(
                t.type() == null || TargetSpec.DUCKDB.equals(t.type()) || t.isDelta(),
                "target.type: \"duckdb\" (the default) or \"delta\"",
                errors);
        if (t.isDelta()) {
            deltaTarget(t, columns, errors);
            return;
        }
        // Generated clients send an empty list for an unset array; only real partition columns are wrong here.
        check(t.partitionColumns().isEmpty(), "target.partition_by: only for a delta target", errors);
        check(
                t.database() == null || IDENTIFIER.matcher(t.database()).matches(),
                "target.database: " + IDENTIFIER,
                errors);
        check(
                t.schema() != null && IDENTIFIER.matcher(t.schema()).matches(),
                "target.schema: required, " + IDENTIFIER,
                errors);
        check(
                t.table() != null
                        && IDENTIFIER.matcher(t.table()).matches()
                        && t.table().length() <= 48,
                "target.table: required, " + IDENTIFIER + ", at most 48 characters",
                errors);
    }

    /**
     * A Delta target names its table as metadata-service does: folded to lower case (catalog, schema
     * and table names are case-insensitive), so the mapping, its commits and its lineage name one table.
     */
    private static TargetSpec folded(TargetSpec t) {
        if (t == null || !TargetSpec.DELTA.equals(t.type()) || t.table() == null) {
            return t;
        }
        return new TargetSpec(
                t.type(),
                t.database(),
                t.schema(),
                String.join(".", Names.split(t.table(), 3, "table")),
                t.partitionBy());
    }

    /** A Delta table of the metadata service: {@code catalog.schema.table}, partitioned by known columns. */
    private static void deltaTarget(TargetSpec t, List<ColumnSpec> columns, List<String> errors) {
        check(t.database() == null && t.schema() == null, "target: a delta target names only table", errors);
        check(
                t.table() != null && DELTA_TABLE.matcher(t.table()).matches(),
                "target.table: required for a delta target, catalog.schema.table (each part " + Names.PART_RULE + ")",
                errors);
        if (columns != null) {
            for (int i = 0; i < columns.size(); i++) {
                ColumnSpec c = columns.get(i);
                check(
                        c == null || !"HUGEINT".equals(c.type()),
                        "columns[" + i + "].type: HUGEINT has no Delta type; use BIGINT or DECIMAL(38,0)",
                        errors);
            }
        }
        List<String> partitionBy = t.partitionColumns();
        check(
                partitionBy.size() <= MAX_PARTITION_COLUMNS,
                "target.partition_by: at most " + MAX_PARTITION_COLUMNS,
                errors);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < partitionBy.size(); i++) {
            String name = partitionBy.get(i);
            String at = "target.partition_by[" + i + "]";
            if (!seen.add(String.valueOf(name))) {
                errors.add(at + ": named twice");
                continue;
            }
            if (DeltaColumns.PARTITION_PSEUDO_COLUMNS.contains(name)) {
                continue;
            }
            ColumnSpec column = columns == null
                    ? null
                    : columns.stream()
                            .filter(c -> c != null && name != null && name.equals(c.name()))
                            .findFirst()
                            .orElse(null);
            check(
                    column != null,
                    at + ": a column of the mapping or one of " + DeltaColumns.PARTITION_PSEUDO_COLUMNS,
                    errors);
            check(
                    column == null || column.type() == null || !UNPARTITIONABLE.contains(column.type()),
                    at + ": a column of type " + (column == null ? "" : column.type()) + " cannot partition a table",
                    errors);
        }
    }

    private static void columns(List<ColumnSpec> columns, List<String> errors) {
        if (columns == null) {
            return;
        }
        check(columns.size() <= MAX_COLUMNS, "columns: at most " + MAX_COLUMNS, errors);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            String at = "columns[" + i + "]";
            if (c == null) {
                errors.add(at + ": must be an object");
                continue;
            }
            if (c.name() == null
                    || !IDENTIFIER.matcher(c.name()).matches()
                    || c.name().startsWith("_")) {
                errors.add(at + ".name: " + IDENTIFIER + " not starting with _ (reserved for source columns)");
            } else if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                errors.add(at + ".name: duplicate " + c.name());
            }
            check(c.type() != null && typeOk(c.type()), at + ".type: one of " + TYPES + " or DECIMAL(p,s)", errors);
            check(
                    c.path() == null || JSON_PATH.matcher(c.path()).matches(),
                    at + ".path: a JSON path like $.a.b or $.items[0], at most " + MAX_JSON_PATH_STEPS + " steps",
                    errors);
        }
    }

    static boolean typeOk(String type) {
        if (TYPES.contains(type)) {
            return true;
        }
        var m = DECIMAL.matcher(type);
        if (!m.matches()) {
            return false;
        }
        int precision = Integer.parseInt(m.group(1));
        int scale = Integer.parseInt(m.group(2));
        return precision >= 1 && precision <= 38 && scale <= precision;
    }

    private static void batch(BatchSpec b, List<String> errors) {
        if (b == null) {
            return;
        }
        check(
                b.maxRows() == null || (b.maxRows() >= 1 && b.maxRows() <= MAX_ROWS),
                "batch.max_rows: 1.." + MAX_ROWS,
                errors);
        check(
                b.maxWaitMs() == null || (b.maxWaitMs() >= 1 && b.maxWaitMs() <= MAX_WAIT_MS),
                "batch.max_wait_ms: 1.." + MAX_WAIT_MS,
                errors);
        check(
                b.maxBytes() == null || (b.maxBytes() >= MIN_BYTES && b.maxBytes() <= MAX_BYTES),
                "batch.max_bytes: " + MIN_BYTES + ".." + MAX_BYTES,
                errors);
    }

    private static void check(boolean ok, String message, List<String> errors) {
        if (!ok) {
            errors.add(message);
        }
    }
}
