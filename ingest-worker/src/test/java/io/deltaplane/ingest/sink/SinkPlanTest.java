package io.deltaplane.ingest.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import io.deltaplane.ingest.mapping.api.MappingValidator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plain unit test of {@link SinkPlan}'s SQL over a real in-memory DuckDB: no Spring, no Kafka. Each
 * batch runs the plan's statements in the order {@link DuckDbSink} runs them — DDL, stage, check,
 * good rows to the target, bad ones to dead letters, offsets and totals — in one transaction.
 */
class SinkPlanTest {

    /** Nested object paths, an array index, a DECIMAL, a timestamp and an optional column. */
    static final List<ColumnSpec> ORDER_COLUMNS = List.of(
            new ColumnSpec("id", "BIGINT", null, null),
            new ColumnSpec("customer", "VARCHAR", "$.user.name", null),
            new ColumnSpec("age", "INTEGER", "$.user.age", false),
            new ColumnSpec("first_sku", "VARCHAR", "$.items[0].sku", null),
            new ColumnSpec("amount", "DECIMAL(10,2)", null, null),
            new ColumnSpec("paid", "BOOLEAN", null, null),
            new ColumnSpec("placed_at", "TIMESTAMPTZ", null, null),
            new ColumnSpec("ship_on", "DATE", null, false));

    static final String GOOD = "{\"id\":42,\"user\":{\"name\":\"Ada\",\"age\":36},"
            + "\"items\":[{\"sku\":\"A-1\"},{\"sku\":\"B-2\"}],\"amount\":\"19.99\",\"paid\":true,"
            + "\"placed_at\":\"2026-03-01T12:30:00Z\",\"ship_on\":\"2026-03-04\"}";

    DuckDBConnection connection;
    String database;

    @BeforeEach
    void open() throws SQLException {
        connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        connection.setAutoCommit(false);
        database = (String) query("SELECT current_database()").get(0).get(0);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    @Test
    void aGoodEventLandsWithEachColumnTypedAsMapped() throws SQLException {
        SinkPlan plan = plan(orders("orders", ORDER_COLUMNS));
        assertThat(plan.target()).isEqualTo("\"" + database + "\".\"shop\".\"orders\"");

        long[] counts = write(plan, event(3, 7, GOOD));

        assertThat(counts).containsExactly(1, 0);
        List<Object> row = query("SELECT id, customer, age, first_sku, amount, paid, placed_at, ship_on,"
                        + " _partition, _offset, _ingested_at IS NOT NULL FROM " + plan.target())
                .get(0);
        assertThat(row)
                .containsExactly(
                        42L,
                        "Ada",
                        36,
                        "A-1",
                        new BigDecimal("19.99"),
                        true,
                        OffsetDateTime.of(2026, 3, 1, 12, 30, 0, 0, ZoneOffset.UTC),
                        LocalDate.of(2026, 3, 4),
                        3,
                        7L,
                        true);
        assertThat(columnTypes(plan, "shop", "orders"))
                .containsAllEntriesOf(Map.of(
                        "id", "BIGINT",
                        "customer", "VARCHAR",
                        "age", "INTEGER",
                        "first_sku", "VARCHAR",
                        "amount", "DECIMAL(10,2)",
                        "paid", "BOOLEAN",
                        "placed_at", "TIMESTAMP WITH TIME ZONE",
                        "ship_on", "DATE"));
        assertThat(query("SELECT count(*) FROM " + plan.deadLetters())).containsExactly(List.of(0L));
        assertThat(query("SELECT mapping, stream, \"partition\", next_offset FROM " + plan.control()))
                .containsExactly(List.of("orders", "orders-topic", 3, 8L));
        assertThat(query("SELECT rows, dead_letters, batches FROM " + plan.totals()))
                .containsExactly(List.of(1L, 0L, 1L));
    }

    @Test
    void aMissingOptionalValueIsNullButAMissingRequiredOneIsADeadLetter() throws SQLException {
        SinkPlan plan = plan(orders("orders", ORDER_COLUMNS));

        long[] counts = write(
                plan,
                event(0, 0, GOOD.replace("\"age\":36", "\"age\":null").replace(",\"ship_on\":\"2026-03-04\"", "")),
                event(0, 1, GOOD.replace("\"name\":\"Ada\",", "")),
                event(0, 2, GOOD.replace("\"paid\":true", "\"paid\":null")),
                event(0, 3, GOOD.replace("[{\"sku\":\"A-1\"},{\"sku\":\"B-2\"}]", "[]")));

        assertThat(counts).containsExactly(1, 3);
        assertThat(query("SELECT _offset, id, age, ship_on FROM " + plan.target()))
                .containsExactly(Arrays.asList(0L, 42L, null, null));
        assertThat(query("SELECT _offset, error FROM " + plan.deadLetters() + " ORDER BY _offset"))
                .containsExactly(
                        List.of(1L, "missing required field customer ($.user.name)"),
                        List.of(2L, "missing required field paid ($.paid)"),
                        List.of(3L, "missing required field first_sku ($.items[0].sku)"));
    }

    @Test
    void badEventsGoToDeadLettersWithTheirReasonAndNeverToTheTarget() throws SQLException {
        SinkPlan plan = plan(orders("orders", ORDER_COLUMNS));
        byte[] notUtf8 = {'{', '"', 'i', 'd', '"', ':', (byte) 0xff, (byte) 0xfe, '}'};

        long[] counts = write(
                plan,
                event(1, 10, GOOD.replace("\"amount\":\"19.99\"", "\"amount\":\"lots\"")),
                event(1, 11, GOOD.replace("\"age\":36", "\"age\":\"old\"")),
                event(1, 12, GOOD.replace("\"2026-03-04\"", "\"soon\"")),
                event(1, 13, GOOD.replace("\"id\":42", "\"id\":1e40")),
                event(1, 14, "{\"id\":42, broken".getBytes(StandardCharsets.UTF_8)),
                event(1, 15, notUtf8),
                event(1, 16, "[1,2,3]".getBytes(StandardCharsets.UTF_8)),
                event(1, 17, (byte[]) null));

        assertThat(counts).containsExactly(0, 8);
        assertThat(query("SELECT count(*) FROM " + plan.target())).containsExactly(List.of(0L));
        List<List<Object>> dead =
                query("SELECT _offset, mapping, error, payload FROM " + plan.deadLetters() + " ORDER BY _offset");
        assertThat(dead)
                .extracting(r -> r.get(2))
                .containsExactly(
                        "field amount ($.amount) is not a valid DECIMAL(10,2): lots",
                        "field age ($.user.age) is not a valid INTEGER: old",
                        "field ship_on ($.ship_on) is not a valid DATE: soon",
                        "field id ($.id) is not a valid BIGINT: 1e40",
                        "payload is not valid JSON",
                        "payload is not valid UTF-8",
                        "payload is not a JSON object",
                        "payload is empty (an event without a value)");
        assertThat(dead).extracting(r -> r.get(1)).containsOnly("orders");
        // The payload is kept as sent, so a dead letter can be fixed and replayed.
        assertThat(dead.get(4).get(3)).isEqualTo("{\"id\":42, broken");
        assertThat((String) dead.get(5).get(3)).contains("\\xFF\\xFE");
        assertThat(dead.get(7).get(3)).isNull();
        // Dead letters still move the offsets on: a bad event is not read again.
        assertThat(query("SELECT next_offset FROM " + plan.control())).containsExactly(List.of(18L));
        assertThat(query("SELECT rows, dead_letters FROM " + plan.totals())).containsExactly(List.of(0L, 8L));
    }

    @Test
    void aValueTheColumnWouldChangeIsADeadLetterNotRounded() throws SQLException {
        // DuckDB's own casts round 1.7 into a BIGINT (2) and 1.239 into a DECIMAL(10,2) (1.24) and
        // take "yes" or 1 as true: the rows would hold what nobody sent.
        SinkPlan plan = plan(orders(
                "exact",
                List.of(
                        new ColumnSpec("id", "BIGINT", null, null),
                        new ColumnSpec("amount", "DECIMAL(10,2)", null, false),
                        new ColumnSpec("paid", "BOOLEAN", null, false),
                        new ColumnSpec("qty", "INTEGER", "$.items[0].qty", false))));

        long[] counts = write(
                plan,
                event(0, 0, "{\"id\":5.0,\"amount\":0.1,\"paid\":true,\"items\":[{\"qty\":3}]}"),
                event(0, 1, "{\"id\":1e3,\"amount\":1e-2,\"paid\":\"false\",\"items\":[{\"qty\":\"4\"}]}"),
                event(0, 2, "{\"id\":9007199254740993,\"amount\":\"12345678.90\"}"),
                event(0, 3, "{\"id\":1.7}"),
                event(0, 4, "{\"id\":1,\"amount\":1.239}"),
                event(0, 5, "{\"id\":1,\"paid\":\"yes\"}"),
                event(0, 6, "{\"id\":1,\"paid\":1}"),
                event(0, 7, "{\"id\":true}"),
                event(0, 8, "{\"id\":1,\"items\":[{\"qty\":2.5}]}"),
                event(0, 9, "{\"id\":\"0x10\"}"),
                // a fraction below double precision, and more decimals than the scale behind zeros
                event(0, 10, "{\"id\":\"5.0000000000000001\"}"),
                event(0, 11, "{\"id\":1,\"amount\":\"2.100000000001\"}"));

        assertThat(counts).containsExactly(3, 9);
        assertThat(query("SELECT _offset, id, amount, paid, qty FROM " + plan.target() + " ORDER BY _offset"))
                .containsExactly(
                        List.of(0L, 5L, new BigDecimal("0.10"), true, 3),
                        List.of(1L, 1000L, new BigDecimal("0.01"), false, 4),
                        Arrays.asList(2L, 9007199254740993L, new BigDecimal("12345678.90"), null, null));
        assertThat(query("SELECT _offset, error FROM " + plan.deadLetters() + " ORDER BY _offset"))
                .containsExactly(
                        List.of(3L, "field id ($.id) is not a valid BIGINT: 1.7"),
                        List.of(4L, "field amount ($.amount) is not a valid DECIMAL(10,2): 1.239"),
                        List.of(5L, "field paid ($.paid) is not a valid BOOLEAN: yes"),
                        List.of(6L, "field paid ($.paid) is not a valid BOOLEAN: 1"),
                        List.of(7L, "field id ($.id) is not a valid BIGINT: true"),
                        List.of(8L, "field qty ($.items[0].qty) is not a valid INTEGER: 2.5"),
                        List.of(9L, "field id ($.id) is not a valid BIGINT: 0x10"),
                        List.of(10L, "field id ($.id) is not a valid BIGINT: 5.0000000000000001"),
                        List.of(11L, "field amount ($.amount) is not a valid DECIMAL(10,2): 2.100000000001"));
    }

    @Test
    void aMappingOfOptionalArrayPathsTakesOnlyPayloadsItsPathsCanReach() throws SQLException {
        // No column is parsed into the one struct (each has an array index) and none is required:
        // a number or a string used to land as a row of NULLs.
        SinkPlan items = plan(orders(
                "first_items",
                List.of(
                        new ColumnSpec("first_sku", "VARCHAR", "$.items[0].sku", false),
                        new ColumnSpec("second_sku", "VARCHAR", "$.items[1].sku", false))));

        long[] counts = write(
                items,
                event(0, 0, GOOD),
                event(0, 1, "{\"id\":7}"),
                event(0, 2, "42"),
                event(0, 3, "\"B-1\""),
                event(0, 4, "[{\"sku\":\"B-1\"}]"));

        assertThat(counts).containsExactly(2, 3);
        assertThat(query("SELECT _offset, first_sku, second_sku FROM " + items.target() + " ORDER BY _offset"))
                .containsExactly(Arrays.asList(0L, "A-1", "B-2"), Arrays.asList(1L, null, null));
        assertThat(query("SELECT _offset, error FROM " + items.deadLetters() + " ORDER BY _offset"))
                .containsExactly(
                        List.of(2L, "payload is not a JSON object"),
                        List.of(3L, "payload is not a JSON object"),
                        List.of(4L, "payload is not a JSON object"));

        // Paths from the top-level array take arrays, and only arrays.
        SinkPlan pairs = plan(orders(
                "pairs",
                List.of(
                        new ColumnSpec("left_value", "BIGINT", "$[0]", false),
                        new ColumnSpec("right_value", "BIGINT", "$[1]", false))));
        assertThat(write(pairs, event(0, 0, "[1,2]"), event(0, 1, "{\"a\":1}"), event(0, 2, "3")))
                .containsExactly(1, 2);
        assertThat(query("SELECT left_value, right_value FROM " + pairs.target()))
                .containsExactly(List.of(1L, 2L));
        assertThat(query("SELECT DISTINCT error FROM " + pairs.deadLetters()))
                .containsExactly(List.of("payload is not a JSON array"));
    }

    @Test
    void overlappingPathsAreExtractedOnTheirOwn() throws SQLException {
        // $.user and $.user.name overlap, so neither can be a field of the one parsed struct.
        SinkPlan plan = plan(orders(
                "users",
                List.of(
                        new ColumnSpec("user_json", "VARCHAR", "$.user", null),
                        new ColumnSpec("customer", "VARCHAR", "$.user.name", null),
                        new ColumnSpec("age", "INTEGER", "$.user.age", null))));

        long[] counts = write(plan, event(0, 0, GOOD), event(0, 1, GOOD.replace("\"age\":36", "\"age\":\"thirty\"")));

        assertThat(counts).containsExactly(1, 1);
        assertThat(query("SELECT user_json, customer, age FROM " + plan.target()))
                .containsExactly(List.of("{\"name\":\"Ada\",\"age\":36}", "Ada", 36));
        assertThat(query("SELECT error FROM " + plan.deadLetters()))
                .containsExactly(List.of("field age ($.user.age) is not a valid INTEGER: thirty"));
    }

    @Test
    void pathsThatDifferOnlyInLetterCaseAreTwoFields() throws SQLException {
        // JSON keys are case-sensitive; DuckDB's struct fields are not: one parsed struct holding
        // both would fail every batch.
        SinkPlan plan = plan(orders(
                "cased",
                List.of(
                        new ColumnSpec("lower_id", "BIGINT", "$.user.id", null),
                        new ColumnSpec("upper_id", "BIGINT", "$.User.id", null),
                        new ColumnSpec("kind", "VARCHAR", "$.kind", null),
                        new ColumnSpec("kind_upper", "VARCHAR", "$.KIND", null))));

        long[] counts =
                write(plan, event(0, 0, "{\"user\":{\"id\":1},\"User\":{\"id\":2},\"kind\":\"a\",\"KIND\":\"B\"}"));

        assertThat(counts).containsExactly(1, 0);
        assertThat(query("SELECT lower_id, upper_id, kind, kind_upper FROM " + plan.target()))
                .containsExactly(List.of(1L, 2L, "a", "B"));
    }

    @Test
    void aRawMappingKeepsThePayloadAsJson() throws SQLException {
        SinkPlan plan = plan(orders("raw_orders", null));

        long[] counts = write(
                plan,
                event(0, 0, GOOD),
                event(0, 1, "[1,\"two\"]".getBytes(StandardCharsets.UTF_8)),
                event(0, 2, "not json".getBytes(StandardCharsets.UTF_8)));

        assertThat(counts).containsExactly(2, 1);
        assertThat(columnTypes(plan, "shop", "raw_orders")).containsEntry("payload", "JSON");
        assertThat(query("SELECT _offset, payload->>'$.user.name', payload->>'$.items[1].sku', json_type(payload)"
                        + " FROM " + plan.target() + " ORDER BY _offset"))
                .containsExactly(Arrays.asList(0L, "Ada", "B-2", "OBJECT"), Arrays.asList(1L, null, null, "ARRAY"));
        assertThat(query("SELECT _offset, error FROM " + plan.deadLetters()))
                .containsExactly(List.of(2L, "payload is not valid JSON"));
    }

    @Test
    void aDeltaMappingsDeadLettersGoToTheDeltaIngestSchemaOnce() throws SQLException {
        MappingSpec mapping = TestMappings.kafkaToDelta("delta_orders", "t", "lake.raw.orders", null, 100, 100);
        SinkPlan plan = plan(mapping);
        assertThat(plan.deadLetters())
                .isEqualTo("\"" + database + "\".\"" + SinkPlan.DELTA_DEAD_LETTER_SCHEMA
                        + "\".\"delta_orders_dead_letters\"");
        execute(plan.ddl());
        Stage.create(connection);
        SinkBatch batch = new SinkBatch(4);
        batch.add(0, 0, -1, TestMappings.good(1));
        batch.add(0, 1, -1, TestMappings.bad(7));

        // A rewritten batch inserts its dead letters again: the table keeps them once.
        assertThat(checkAndDeadLetter(plan, batch)).isEqualTo(1);
        assertThat(checkAndDeadLetter(plan, batch)).isZero();
        connection.commit();

        assertThat(query("SELECT _offset, error FROM delta_ingest.delta_orders_dead_letters"))
                .containsExactly(List.of(1L, "payload is not valid JSON"));
        // Good rows go to the lake (Parquet), not to a warehouse table.
        assertThat(query("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name"))
                .extracting(r -> r.get(0))
                .containsExactly(SinkPlan.LEGACY_TOTALS_TABLE, SinkPlan.TOTALS_TABLE, "delta_orders_dead_letters");
    }

    @Test
    void aColumnAddedToTheMappingIsAddedToTheExistingTable() throws SQLException {
        SinkPlan before = plan(orders("orders", ORDER_COLUMNS.subList(0, 2)));
        write(before, event(0, 0, GOOD));
        List<ColumnSpec> more = new ArrayList<>(ORDER_COLUMNS.subList(0, 2));
        more.add(new ColumnSpec("amount", "DECIMAL(10,2)", null, null));
        SinkPlan after = plan(orders("orders", more));
        assertThat(after.ddl())
                .contains("ALTER TABLE " + after.target() + " ADD COLUMN IF NOT EXISTS \"amount\" DECIMAL(10,2)");

        write(after, Map.of(0, 1L), event(0, 1, GOOD.replace("19.99", "5.50")));

        assertThat(columnTypes(after, "shop", "orders")).containsEntry("amount", "DECIMAL(10,2)");
        assertThat(query("SELECT _offset, id, customer, amount FROM " + after.target() + " ORDER BY _offset"))
                .containsExactly(
                        Arrays.asList(0L, 42L, "Ada", null), Arrays.asList(1L, 42L, "Ada", new BigDecimal("5.50")));
        assertThat(query("SELECT next_offset FROM " + after.control())).containsExactly(List.of(2L));
        assertThat(query("SELECT rows, batches FROM " + after.totals())).containsExactly(List.of(2L, 2L));
    }

    /**
     * Each writer adds to a totals row of its own (workers sharing a warehouse never update one row);
     * the mapping's totals are read by writer, with the row an earlier release kept per mapping, and add up.
     */
    @Test
    void totalsAreKeptPerWriterAndReadAsTheirSumWithAnEarlierReleasesRow() throws SQLException {
        MappingSpec mapping = orders("orders", ORDER_COLUMNS);
        SinkPlan a = new SinkPlan(mapping, database, "worker-a");
        SinkPlan b = new SinkPlan(mapping, database, "worker-b");
        write(a, event(0, 0, GOOD));
        write(b, Map.of(0, 1L), event(0, 1, GOOD), event(0, 2, "not json"));
        execute(List.of("INSERT INTO \"" + database + "\".main." + SinkPlan.LEGACY_TOTALS_TABLE
                + " VALUES ('orders', 100, 7, 3, current_timestamp)"));
        connection.commit();

        assertThat(query("SELECT writer, rows, dead_letters, batches FROM " + a.totals() + " ORDER BY writer"))
                .containsExactly(List.of("worker-a", 1L, 0L, 1L), List.of("worker-b", 1L, 1L, 1L));
        SinkTotals totals = DuckDbSink.readTotals(connection, a);
        assertThat(totals.byWriter())
                .containsOnly(
                        Map.entry("worker-a", new SinkTotals.Counts(1, 0, 1)),
                        Map.entry("worker-b", new SinkTotals.Counts(1, 1, 1)),
                        Map.entry(SinkTotals.EARLIER_RELEASE, new SinkTotals.Counts(100, 7, 3)));
        assertThat(totals.sum()).isEqualTo(new SinkTotals.Counts(102, 8, 5));
        assertThat(DuckDbSink.readTotals(connection, plan(orders("other", ORDER_COLUMNS))))
                .isEqualTo(SinkTotals.NONE);
    }

    // --- the sink's sequence, statement by statement -------------------------------------------

    private SinkPlan plan(MappingSpec mapping) {
        return new SinkPlan(mapping, database);
    }

    private long[] write(SinkPlan plan, Event... events) throws SQLException {
        return write(plan, Map.of(), events);
    }

    /** One batch as {@link DuckDbSink} writes it; {@code expected}: the offsets already committed. */
    private long[] write(SinkPlan plan, Map<Integer, Long> expected, Event... events) throws SQLException {
        execute(plan.ddl());
        Stage.create(connection);
        connection.commit();
        SinkBatch batch = new SinkBatch(events.length);
        for (Event e : events) {
            batch.add(e.partition(), e.offset(), -1, e.payload());
        }
        Stage.fill(connection, batch);
        long rows;
        try (Statement s = connection.createStatement()) {
            s.execute(plan.createChecked());
            rows = s.executeUpdate(plan.insertGood());
        }
        long dead;
        try (PreparedStatement ps = connection.prepareStatement(plan.insertDead())) {
            ps.setString(1, plan.mapping().name());
            dead = ps.executeUpdate();
        }
        for (Map.Entry<Integer, Long> next : batch.nextOffsets().entrySet()) {
            Long previous = expected.get(next.getKey());
            try (PreparedStatement ps =
                    connection.prepareStatement(previous == null ? plan.insertOffset() : plan.updateOffset())) {
                if (previous == null) {
                    ps.setString(1, plan.mapping().name());
                    ps.setString(2, plan.mapping().source().stream());
                    ps.setInt(3, next.getKey());
                    ps.setLong(4, next.getValue());
                } else {
                    ps.setLong(1, next.getValue());
                    ps.setString(2, plan.mapping().name());
                    ps.setString(3, plan.mapping().source().stream());
                    ps.setInt(4, next.getKey());
                    ps.setLong(5, previous);
                }
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
        DuckDbSink.addTotals(connection, plan, rows, dead);
        Stage.clear(connection);
        connection.commit();
        return new long[] {rows, dead};
    }

    /** What a Delta sink does in DuckDB: check the batch and keep its dead letters. */
    private long checkAndDeadLetter(SinkPlan plan, SinkBatch batch) throws SQLException {
        Stage.fill(connection, batch);
        try (Statement s = connection.createStatement()) {
            s.execute(plan.createChecked());
        }
        try (PreparedStatement ps = connection.prepareStatement(plan.insertDead())) {
            ps.setString(1, plan.mapping().name());
            return ps.executeUpdate();
        }
    }

    private void execute(List<String> statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private Map<String, String> columnTypes(SinkPlan plan, String schema, String table) throws SQLException {
        Map<String, String> types = new java.util.HashMap<>();
        for (List<Object> r : query("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_catalog = '" + plan.database() + "' AND table_schema = '" + schema
                + "' AND table_name = '" + table + "'")) {
            types.put((String) r.get(0), (String) r.get(1));
        }
        return types;
    }

    private List<List<Object>> query(String sql) throws SQLException {
        return ResultRows.of(connection, sql);
    }

    private static MappingSpec orders(String name, List<ColumnSpec> columns) {
        MappingSpec base = TestMappings.kafka(name, "orders-topic", name, 100, 100);
        return MappingValidator.validate(new MappingSpec(
                name,
                base.source(),
                new MappingSpec.TargetSpec(null, "shop", name),
                "json",
                columns,
                base.batch(),
                false,
                true));
    }

    private static Event event(int partition, long offset, String payload) {
        return new Event(partition, offset, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Event event(int partition, long offset, byte[] payload) {
        return new Event(partition, offset, payload);
    }

    private record Event(int partition, long offset, byte[] payload) {}
}
