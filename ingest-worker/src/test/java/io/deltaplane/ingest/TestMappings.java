package io.deltaplane.ingest;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.BatchSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.mapping.MappingSpec.TargetSpec;
import io.deltaplane.ingest.mapping.api.MappingValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Mappings and events the tests share: five typed fields, plus the kinds of bad events. */
public final class TestMappings {

    public static final List<ColumnSpec> DEVICE_COLUMNS = List.of(
            new ColumnSpec("id", "BIGINT", null, null),
            new ColumnSpec("device", "VARCHAR", null, null),
            new ColumnSpec("amount", "DOUBLE", null, null),
            new ColumnSpec("ok", "BOOLEAN", null, null),
            new ColumnSpec("ts", "TIMESTAMPTZ", null, null));

    private TestMappings() {}

    public static MappingSpec kafka(String name, String topic, String table, int maxRows, int maxWaitMs) {
        return MappingValidator.validate(new MappingSpec(
                name,
                new SourceSpec("kafka", topic, null, null, null, null, null, null, null, null, null),
                new TargetSpec(null, "events", table),
                "json",
                DEVICE_COLUMNS,
                new BatchSpec(maxRows, maxWaitMs),
                false,
                true));
    }

    /** A Kafka → Delta mapping writing {@code table} ({@code catalog.schema.table}). */
    public static MappingSpec kafkaToDelta(
            String name, String topic, String table, List<String> partitionBy, int maxRows, int maxWaitMs) {
        return MappingValidator.validate(new MappingSpec(
                name,
                new SourceSpec("kafka", topic, null, null, null, null, null, null, null, null, null),
                new TargetSpec(TargetSpec.DELTA, null, null, table, partitionBy),
                "json",
                DEVICE_COLUMNS,
                new BatchSpec(maxRows, maxWaitMs),
                false,
                true));
    }

    public static byte[] good(long id) {
        return ("{\"id\":" + id + ",\"device\":\"d-" + (id % 100) + "\",\"amount\":" + (id % 1000) / 10.0 + ",\"ok\":"
                        + (id % 2 == 0) + ",\"ts\":\"2026-01-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Whether event {@code i} of a generated stream is a bad one (2% of them). */
    public static boolean isBad(long i) {
        return i % 50 == 7;
    }

    /** Four kinds of bad events, in turn: not JSON, missing field, wrong type, invalid UTF-8. */
    public static byte[] bad(long i) {
        return switch ((int) ((i / 50) % 4)) {
            case 0 -> ("{\"id\":" + i + ", broken").getBytes(StandardCharsets.UTF_8);
            case 1 ->
                ("{\"id\":" + i + ",\"amount\":1.0,\"ok\":true,\"ts\":\"2026-01-01T00:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8);
            case 2 ->
                ("{\"id\":" + i + ",\"device\":\"x\",\"amount\":\"lots\",\"ok\":true,\"ts\":\"2026-01-01\"}")
                        .getBytes(StandardCharsets.UTF_8);
            default -> new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
        };
    }

    public static byte[] event(long i) {
        return isBad(i) ? bad(i) : good(i);
    }
}
