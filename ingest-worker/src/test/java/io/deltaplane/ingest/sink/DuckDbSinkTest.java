package io.deltaplane.ingest.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.ingest.TestMappings;
import io.deltaplane.ingest.mapping.MappingSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink against a real DuckDB file: typed projection, dead letters, atomic offsets. */
class DuckDbSinkTest {

    @TempDir
    Path dir;

    Warehouse warehouse;

    @BeforeEach
    void open() {
        warehouse = Warehouse.open(dir.resolve("w.duckdb").toString());
    }

    @AfterEach
    void close() throws SQLException {
        warehouse.close();
    }

    @Test
    void goodRowsAreTypedAndBadOnesAreDeadLetteredWithTheirError() throws Exception {
        MappingSpec mapping = TestMappings.kafka("m", "t", "devices", 100, 100);
        try (DuckDbSink sink = sink(mapping)) {
            SinkBatch batch = new SinkBatch(8);
            for (int i = 0; i < 4; i++) {
                batch.add(0, i, 1_700_000_000_000L, TestMappings.good(i));
            }
            batch.add(1, 0, -1, TestMappings.bad(7)); // not JSON
            batch.add(1, 1, -1, TestMappings.bad(57)); // missing device
            batch.add(1, 2, -1, TestMappings.bad(107)); // amount "lots"
            batch.add(1, 3, -1, TestMappings.bad(157)); // invalid UTF-8
            batch.add(1, 4, -1, null); // tombstone
            BatchResult result = sink.write(batch, Map.of());
            assertThat(result.rows()).isEqualTo(4);
            assertThat(result.deadLetters()).isEqualTo(5);
            assertThat(result.nextOffsets()).isEqualTo(Map.of(0, 4L, 1, 5L));
            assertThat(sink.positions()).isEqualTo(Map.of(0, 4L, 1, 5L));
        }
        assertThat(query("SELECT id, device, amount, ok, epoch(ts)::BIGINT, _partition, _offset,"
                        + " epoch_ms(_enqueued_at) FROM events.devices WHERE id = 3"))
                .containsExactly(List.of(3L, "d-3", 0.3, false, 1767225600L, 0, 3L, 1_700_000_000_000L));
        List<List<Object>> dead = query(
                "SELECT _partition, _offset, payload, error FROM events.devices_dead_letters" + " ORDER BY _offset");
        assertThat(dead).hasSize(5);
        assertThat(dead.get(0).get(2)).isEqualTo(new String(TestMappings.bad(7), StandardCharsets.UTF_8));
        assertThat(dead.get(0).get(3)).isEqualTo("payload is not valid JSON");
        assertThat(dead.get(1).get(3)).isEqualTo("missing required field device ($.device)");
        assertThat((String) dead.get(2).get(3)).startsWith("field amount ($.amount) is not a valid DOUBLE: lots");
        assertThat(dead.get(3).get(3)).isEqualTo("payload is not valid UTF-8");
        assertThat((String) dead.get(3).get(2)).contains("\\xFF");
        assertThat(dead.get(4).get(3)).isEqualTo("payload is empty (an event without a value)");
    }

    @Test
    void nestedAndArrayPathsOptionalColumnsAndNonObjects() throws Exception {
        MappingSpec base = TestMappings.kafka("paths", "t", "paths", 100, 100);
        MappingSpec mapping = new MappingSpec(
                "paths",
                base.source(),
                base.target(),
                "json",
                List.of(
                        new MappingSpec.ColumnSpec("celsius", "DECIMAL(5,2)", "$.reading.celsius", null),
                        new MappingSpec.ColumnSpec("unit", "VARCHAR", "$.reading.unit", false),
                        new MappingSpec.ColumnSpec("first_tag", "VARCHAR", "$.tags[0]", null),
                        new MappingSpec.ColumnSpec("seen", "DATE", null, false)),
                base.batch(),
                false,
                true);
        String[] payloads = {
            "{\"reading\":{\"celsius\":21.5,\"unit\":\"C\"},\"tags\":[\"a\",\"b\"],\"seen\":\"2026-11-21\"}",
            "{\"reading\":{\"celsius\":22},\"tags\":[\"x\"]}",
            "{\"reading\":{\"celsius\":1},\"tags\":[\"x\"],\"seen\":\"not a date\"}",
            "{\"reading\":{\"celsius\":1},\"tags\":[]}",
            "[1,2,3]",
            "null"
        };
        try (DuckDbSink sink = sink(mapping)) {
            SinkBatch batch = new SinkBatch(8);
            for (int i = 0; i < payloads.length; i++) {
                batch.add(0, i, -1, payloads[i].getBytes(StandardCharsets.UTF_8));
            }
            BatchResult result = sink.write(batch, Map.of());
            assertThat(result.rows()).isEqualTo(2);
            assertThat(result.deadLetters()).isEqualTo(4);
        }
        assertThat(query("SELECT _offset, celsius::VARCHAR, unit, first_tag, seen::VARCHAR FROM events.paths"
                        + " ORDER BY _offset"))
                .containsExactly(
                        java.util.Arrays.asList(0L, "21.50", "C", "a", "2026-11-21"),
                        java.util.Arrays.asList(1L, "22.00", null, "x", null));
        assertThat(query("SELECT _offset, error FROM events.paths_dead_letters ORDER BY _offset"))
                .containsExactly(
                        List.of(2L, "field seen ($.seen) is not a valid DATE: not a date"),
                        List.of(3L, "missing required field first_tag ($.tags[0])"),
                        List.of(4L, "payload is not a JSON object"),
                        List.of(5L, "payload is not a JSON object"));
    }

    @Test
    void staleOffsetsRollBackTheWholeBatch() throws Exception {
        MappingSpec mapping = TestMappings.kafka("m", "t", "devices", 100, 100);
        try (DuckDbSink sink = sink(mapping)) {
            SinkBatch batch = new SinkBatch(4);
            batch.add(0, 0, -1, TestMappings.good(0));
            sink.write(batch, Map.of());
            SinkBatch next = new SinkBatch(4);
            next.add(0, 1, -1, TestMappings.good(1));
            next.add(0, 2, -1, TestMappings.bad(7));
            // Another consumer believed partition 0 was at offset 0: its write must not land.
            assertThatThrownBy(() -> sink.write(next, Map.of(0, 0L))).isInstanceOf(StaleOffsetsException.class);
            // Nor may a first write of a partition that already has an offset.
            assertThatThrownBy(() -> sink.write(next, Map.of())).isInstanceOf(SQLException.class);
            assertThat(sink.positions()).isEqualTo(Map.of(0, 1L));
            BatchResult ok = sink.write(next, Map.of(0, 1L));
            assertThat(ok.rows()).isEqualTo(1);
        }
        assertThat(query("SELECT count(*) FROM events.devices")).containsExactly(List.of(2L));
        assertThat(query("SELECT count(*) FROM events.devices_dead_letters")).containsExactly(List.of(1L));
    }

    @Test
    void rawMappingKeepsThePayloadAndSourceColumns() throws Exception {
        MappingSpec typed = TestMappings.kafka("raw", "t", "raw_events", 100, 100);
        MappingSpec raw =
                new MappingSpec(typed.name(), typed.source(), typed.target(), "json", null, typed.batch(), false, true);
        try (DuckDbSink sink = sink(raw)) {
            SinkBatch batch = new SinkBatch(4);
            batch.add(2, 10, -1, "{\"anything\":[1,2]}".getBytes(StandardCharsets.UTF_8));
            batch.add(2, 11, -1, "nope".getBytes(StandardCharsets.UTF_8));
            BatchResult result = sink.write(batch, Map.of());
            assertThat(result.rows()).isEqualTo(1);
            assertThat(result.deadLetters()).isEqualTo(1);
        }
        assertThat(query("SELECT payload->>'$.anything[1]', _partition, _offset, _ingested_at IS NOT NULL"
                        + " FROM events.raw_events"))
                .containsExactly(List.of("2", 2, 10L, true));
    }

    @Test
    void dryRunCountsButWritesNothing() throws Exception {
        MappingSpec typed = TestMappings.kafka("dry", "t", "dry_events", 100, 100);
        MappingSpec dry = new MappingSpec(
                typed.name(), typed.source(), typed.target(), "json", typed.columns(), typed.batch(), true, true);
        try (DuckDbSink sink = sink(dry)) {
            SinkBatch batch = new SinkBatch(4);
            batch.add(0, 0, -1, TestMappings.good(1));
            batch.add(0, 1, -1, TestMappings.bad(7));
            BatchResult result = sink.write(batch, Map.of());
            assertThat(result.dryRun()).isTrue();
            assertThat(result.rows()).isEqualTo(1);
            assertThat(result.deadLetters()).isEqualTo(1);
            assertThat(sink.positions()).isEmpty();
        }
        assertThat(query("SELECT count(*) FROM duckdb_tables() WHERE NOT temporary"))
                .containsExactly(List.of(0L));
    }

    private DuckDbSink sink(MappingSpec mapping) throws SQLException {
        return new DuckDbSink(warehouse.connect(), new SinkPlan(mapping, warehouse.defaultDatabase()));
    }

    private List<List<Object>> query(String sql) throws SQLException {
        try (DuckDBConnection c = warehouse.connect()) {
            List<List<Object>> rows = ResultRows.of(c, sql);
            c.rollback();
            return rows;
        }
    }

    static Map<Integer, Long> map(Object... kv) {
        Map<Integer, Long> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((Integer) kv[i], (Long) kv[i + 1]);
        }
        return m;
    }
}
