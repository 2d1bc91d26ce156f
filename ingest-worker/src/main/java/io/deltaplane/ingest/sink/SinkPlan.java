package io.deltaplane.ingest.sink;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL one mapping runs in DuckDB. Identifiers, types and JSON paths were allow-listed by the
 * mapping validator, so they are quoted and inlined here; values travel as parameters.
 *
 * <p>Raw payloads are appended to a per-connection temp table, then one statement parses each
 * payload once (all paths in a single {@code json_extract_string} call), casts with
 * {@code TRY_CAST} and computes an error per row; good rows go to the target and bad ones to dead
 * letters, in the same transaction as the offsets.
 */
public final class SinkPlan {

    static final String STAGE = "ingest_stage";
    static final String CHECKED = "ingest_checked";
    static final String CREATE_STAGE = "CREATE TEMP TABLE IF NOT EXISTS " + STAGE
            + " (_partition INTEGER, _offset BIGINT, _enqueued_at TIMESTAMPTZ, payload BLOB)";
    static final String CLEAR_STAGE = "DELETE FROM " + STAGE;
    static final String CONTROL_TABLE = "_deltaplane_offsets";
    static final String LEGACY_TOTALS_TABLE = TotalsTables.LEGACY_TABLE;
    static final String TOTALS_TABLE = TotalsTables.TABLE;
    /** The writer of a sink opened without one: this process. */
    static final String THIS_PROCESS = "process-" + java.util.UUID.randomUUID();
    /** Where a Delta target's dead letters go: the warehouse, one table per mapping in this schema. */
    public static final String DELTA_DEAD_LETTER_SCHEMA = "delta_ingest";

    private final MappingSpec mapping;
    private final String database;
    private final String target;
    private final String deadLetters;
    private final String control;
    private final TotalsTables totals;
    private final String writer;
    private final boolean delta;

    public SinkPlan(MappingSpec mapping, String defaultDatabase) {
        this(mapping, defaultDatabase, THIS_PROCESS);
    }

    /** The plan of a sink whose totals are kept under {@code writer} (a worker's id). */
    public SinkPlan(MappingSpec mapping, String defaultDatabase, String writer) {
        this.writer = requireNonNull(writer, "writer");
        this.mapping = requireNonNull(mapping, "mapping");
        this.database = mapping.target().database() == null
                ? requireNonNull(defaultDatabase, "defaultDatabase")
                : mapping.target().database();
        this.delta = mapping.target().isDelta();
        // A Delta target's rows go to the lake; its dead letters stay in the warehouse, where the
        // preview endpoint and SQL users find them next to every other mapping's.
        String schemaName = delta ? DELTA_DEAD_LETTER_SCHEMA : mapping.target().schema();
        String tableName = delta ? mapping.name() : mapping.target().table();
        String schema = q(database) + "." + q(schemaName);
        this.target = schema + "." + q(tableName);
        this.deadLetters = schema + "." + q(tableName + "_dead_letters");
        // One control table per database, in its always-present main schema: offsets survive a change
        // of the mapping's target table or schema, so a changed mapping continues where it stopped.
        this.control = q(database) + ".main." + q(CONTROL_TABLE);
        this.totals = TotalsTables.in(q(database), SinkPlan::q);
    }

    /** Whose totals row this sink adds to. */
    public String writer() {
        return writer;
    }

    public MappingSpec mapping() {
        return mapping;
    }

    /** The DuckDB database the mapping's tables (for a Delta target: its dead letters) are in. */
    public String database() {
        return database;
    }

    public String target() {
        return target;
    }

    public String deadLetters() {
        return deadLetters;
    }

    public String control() {
        return control;
    }

    /** DDL creating what is missing; new mapping columns are added to an existing table. */
    public List<String> ddl() {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE SCHEMA IF NOT EXISTS " + q(database) + "."
                + q(delta ? DELTA_DEAD_LETTER_SCHEMA : mapping.target().schema()));
        ddl.addAll(totals.ddl());
        if (delta) {
            // Rewritten batches insert their dead letters again: the key makes that a no-op.
            ddl.add("CREATE TABLE IF NOT EXISTS " + deadLetters
                    + " (mapping VARCHAR NOT NULL, _partition INTEGER NOT NULL, _offset BIGINT NOT NULL,"
                    + " _enqueued_at TIMESTAMPTZ, payload VARCHAR, error VARCHAR NOT NULL,"
                    + " dead_lettered_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (mapping, _partition, _offset))");
            return ddl;
        }
        StringBuilder create = new StringBuilder("CREATE TABLE IF NOT EXISTS ")
                .append(target)
                .append(" (_partition INTEGER NOT NULL, _offset BIGINT NOT NULL, _enqueued_at TIMESTAMPTZ,"
                        + " _ingested_at TIMESTAMPTZ NOT NULL");
        if (mapping.raw()) {
            create.append(", payload JSON");
        } else {
            for (ColumnSpec c : mapping.columns()) {
                create.append(", ").append(q(c.name())).append(' ').append(c.type());
            }
        }
        ddl.add(create.append(')').toString());
        if (!mapping.raw()) {
            for (ColumnSpec c : mapping.columns()) {
                ddl.add("ALTER TABLE " + target + " ADD COLUMN IF NOT EXISTS " + q(c.name()) + " " + c.type());
            }
        }
        ddl.add("CREATE TABLE IF NOT EXISTS " + deadLetters
                + " (mapping VARCHAR NOT NULL, _partition INTEGER NOT NULL, _offset BIGINT NOT NULL,"
                + " _enqueued_at TIMESTAMPTZ, payload VARCHAR, error VARCHAR NOT NULL,"
                + " dead_lettered_at TIMESTAMPTZ NOT NULL)");
        ddl.add("CREATE TABLE IF NOT EXISTS " + control
                + " (mapping VARCHAR NOT NULL, stream VARCHAR NOT NULL, \"partition\" INTEGER NOT NULL,"
                + " next_offset BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,"
                + " PRIMARY KEY (mapping, stream, \"partition\"))");
        return ddl;
    }

    /**
     * One row per staged event: source columns, the typed values, and {@code _error} (null when the
     * event is good). Each payload is parsed once by {@code json_transform} into a struct of the
     * mapping's types (nested object paths become nested structs); only columns whose path has an
     * array index, or overlaps another column's path, are extracted separately. The error branches
     * run only for rows that have a NULL where a value belongs, so good rows pay for one parse.
     */
    public String checkSelect() {
        List<ColumnSpec> columns = mapping.raw() ? List.of() : mapping.columns();
        List<List<String>> keys = new ArrayList<>();
        for (ColumnSpec c : columns) {
            keys.add(objectKeys(c.effectivePath()));
        }
        boolean[] transformed = new boolean[columns.size()];
        Map<String, Object> structure = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            transformed[i] = keys.get(i) != null && !overlaps(keys, i);
            if (transformed[i]) {
                put(
                        structure,
                        keys.get(i),
                        ExactCasts.transformType(columns.get(i).type()));
            }
        }
        Root root = mapping.raw() ? Root.ANY : Root.of(columns);
        String parsed = structure.isEmpty()
                ? "CASE WHEN json_valid(p) AND " + root.check("p") + " THEN true END"
                : "try(json_transform(p, '" + json(structure) + "'))";
        StringBuilder typed = new StringBuilder();
        StringBuilder error = new StringBuilder("CASE WHEN raw IS NULL THEN 'payload is empty (an event without a"
                + " value)' WHEN p IS NULL THEN 'payload is not valid UTF-8'"
                + " WHEN v IS NULL THEN CASE WHEN json_valid(p) THEN 'payload is not " + root.what + "'"
                + " ELSE 'payload is not valid JSON' END");
        for (int i = 0; i < columns.size(); i++) {
            ColumnSpec c = columns.get(i);
            String path = "'" + c.effectivePath() + "'";
            String raw = "json_extract_string(p, " + path + ")";
            String value = transformed[i]
                    ? ExactCasts.exact(
                            c.type(),
                            "v."
                                    + String.join(
                                            ".",
                                            keys.get(i).stream()
                                                    .map(SinkPlan::q)
                                                    .toList()))
                    : "CASE WHEN v IS NOT NULL THEN " + ExactCasts.exact(c.type(), raw) + " END";
            typed.append(", ").append(value).append(" AS c").append(i);
            String field = c.name() + " (" + c.effectivePath() + ")";
            String wrongType = "'field " + field + " is not a valid " + c.type() + ": ' || " + raw;
            if (c.isRequired()) {
                error.append(" WHEN c")
                        .append(i)
                        .append(" IS NULL THEN CASE")
                        .append(" WHEN NOT ")
                        .append(root.check("p"))
                        .append(" THEN 'payload is not ")
                        .append(root.what)
                        .append("'")
                        .append(" WHEN ")
                        .append(raw)
                        .append(" IS NULL THEN 'missing required field ")
                        .append(field)
                        .append("' ELSE ")
                        .append(wrongType)
                        .append(" END");
            } else {
                error.append(" WHEN c")
                        .append(i)
                        .append(" IS NULL AND ")
                        .append(raw)
                        .append(" IS NOT NULL THEN ")
                        .append(wrongType);
            }
        }
        error.append(" END");
        // Only what the target needs is materialized; dead letters take their payload from the stage.
        StringBuilder kept = new StringBuilder("_partition, _offset, _enqueued_at");
        if (mapping.raw()) {
            kept.append(", p");
        }
        for (int i = 0; i < columns.size(); i++) {
            kept.append(", c").append(i);
        }
        return "SELECT " + kept + ", " + error + " AS _error FROM (SELECT _partition, _offset, _enqueued_at, p, raw, v"
                + typed
                + " FROM (SELECT *, " + parsed + " AS v FROM ("
                + "SELECT _partition, _offset, _enqueued_at, payload AS raw, try(decode(payload)) AS p FROM "
                + STAGE + ")))";
    }

    /**
     * What a payload's top level must be for the mapping's paths to find anything: an object for
     * {@code $.a} paths, an array for {@code $[0]} paths. Without it, a mapping whose columns are all
     * optional took any JSON value (a number, a string) as a row of NULLs.
     */
    enum Root {
        OBJECT("a JSON object", "json_type(%s) = 'OBJECT'"),
        ARRAY("a JSON array", "json_type(%s) = 'ARRAY'"),
        CONTAINER("a JSON object or array", "json_type(%s) IN ('OBJECT', 'ARRAY')"),
        ANY("JSON", "true");

        final String what;
        private final String check;

        Root(String what, String check) {
            this.what = what;
            this.check = check;
        }

        String check(String payload) {
            return check.formatted(payload);
        }

        static Root of(List<ColumnSpec> columns) {
            boolean objects = false;
            boolean arrays = false;
            for (ColumnSpec c : columns) {
                boolean array = c.effectivePath().startsWith("$[");
                arrays |= array;
                objects |= !array;
            }
            return objects && arrays ? CONTAINER : arrays ? ARRAY : OBJECT;
        }
    }

    /** {@code $.a.b} → [a, b]; null for paths with array indexes. */
    static List<String> objectKeys(String path) {
        if (!path.matches("\\$(\\.[A-Za-z_][A-Za-z0-9_]*)+")) {
            return null;
        }
        return List.of(path.substring(2).split("\\."));
    }

    /**
     * Whether column {@code i}'s path cannot be a field of the json_transform structure beside the
     * others: one path is a prefix of another's, or they part at keys that differ only in letter
     * case ({@code $.user.id} and {@code $.User.id}) — a DuckDB struct's field names are
     * case-insensitive, so the structure would hold the same field twice and fail every batch.
     */
    private static boolean overlaps(List<List<String>> keys, int i) {
        List<String> mine = keys.get(i);
        for (int j = 0; j < keys.size(); j++) {
            List<String> other = keys.get(j);
            if (j == i || other == null) {
                continue;
            }
            int common = Math.min(mine.size(), other.size());
            int parted = 0;
            while (parted < common && mine.get(parted).equals(other.get(parted))) {
                parted++;
            }
            if (parted == common || mine.get(parted).equalsIgnoreCase(other.get(parted))) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> structure, List<String> keys, String type) {
        Map<String, Object> node = structure;
        for (int k = 0; k < keys.size() - 1; k++) {
            node = (Map<String, Object>) node.computeIfAbsent(keys.get(k), x -> new LinkedHashMap<String, Object>());
        }
        node.put(keys.get(keys.size() - 1), type);
    }

    /** The json_transform structure; keys are validated identifiers and types allow-listed names. */
    @SuppressWarnings("unchecked")
    private static String json(Map<String, Object> structure) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> e : structure.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(e.getKey()).append("\":");
            if (e.getValue() instanceof Map<?, ?> nested) {
                out.append(json((Map<String, Object>) nested));
            } else {
                out.append('"').append(e.getValue()).append('"');
            }
        }
        return out.append('}').toString();
    }

    public String createChecked() {
        return "CREATE OR REPLACE TEMP TABLE " + CHECKED + " AS " + checkSelect();
    }

    public String insertGood() {
        StringBuilder names = new StringBuilder("_partition, _offset, _enqueued_at, _ingested_at");
        StringBuilder values = new StringBuilder("_partition, _offset, _enqueued_at, current_timestamp");
        if (mapping.raw()) {
            names.append(", payload");
            values.append(", CAST(p AS JSON)");
        } else {
            for (int i = 0; i < mapping.columns().size(); i++) {
                names.append(", ").append(q(mapping.columns().get(i).name()));
                values.append(", c").append(i);
            }
        }
        return "INSERT INTO " + target + " (" + names + ") SELECT " + values + " FROM " + CHECKED
                + " WHERE _error IS NULL";
    }

    public String insertDead() {
        return "INSERT " + (delta ? "OR IGNORE " : "") + "INTO " + deadLetters
                + " (mapping, _partition, _offset, _enqueued_at, payload, error, dead_lettered_at)"
                + " SELECT ?, k._partition, k._offset, k._enqueued_at,"
                + " coalesce(try(decode(s.payload)), CAST(s.payload AS VARCHAR)), k._error, current_timestamp"
                + " FROM " + CHECKED + " k JOIN " + STAGE
                + " s ON s._partition = k._partition AND s._offset = k._offset"
                + " WHERE k._error IS NOT NULL";
    }

    public String dryRunCounts() {
        return "SELECT count(*) FILTER (WHERE _error IS NULL), count(*) FILTER (WHERE _error IS NOT NULL) FROM ("
                + checkSelect() + ")";
    }

    /** The qualified per-writer totals table. */
    public String totals() {
        return totals.totals();
    }

    /** The mapping's totals by writer (parameters: mapping, mapping; columns: writer, rows, dead letters, batches). */
    public String selectTotals() {
        return totals.select();
    }

    /** Adds one batch's counts to this writer's totals (parameters: mapping, writer, rows, dead letters). */
    public String addTotals() {
        return totals.add();
    }

    public String selectOffsets() {
        return "SELECT \"partition\", next_offset FROM " + control + " WHERE mapping = ? AND stream = ?";
    }

    public String updateOffset() {
        return "UPDATE " + control + " SET next_offset = ?, updated_at = current_timestamp"
                + " WHERE mapping = ? AND stream = ? AND \"partition\" = ? AND next_offset = ?";
    }

    public String insertOffset() {
        return "INSERT INTO " + control + " (mapping, stream, \"partition\", next_offset, updated_at)"
                + " VALUES (?, ?, ?, ?, current_timestamp)";
    }

    static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
