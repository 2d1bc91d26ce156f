package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.LocalFileStorage;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delta statistics as Iceberg bounds are true bounds: a decimal at the top of {@code decimal(38,18)}
 * is kept exact (read through a double it became a bound inside the data, and a filter at the
 * column's maximum pruned the file holding the row); timestamps cover the millisecond Delta wrote.
 */
class DataFileEntriesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "amount", Types.DecimalType.of(38, 18)),
            Types.NestedField.optional(3, "at", Types.TimestampType.withZone()));

    private DataFile file(String stats) {
        DataFileEntries entries = new DataFileEntries(
                dir.toUri().toString(),
                new LocalFileStorage(),
                PartitionSpec.unpartitioned(),
                SCHEMA,
                List.of(),
                Map.of(1, List.of("id"), 2, List.of("amount"), 3, List.of("at")),
                null,
                null,
                java.util.Set.of());
        return entries.dataFile(JSON.readTree(
                "{\"path\":\"part-0.parquet\",\"size\":100,\"stats\":" + JSON.writeValueAsString(stats) + "}"));
    }

    @Test
    void aDecimalBoundIsTheExactValueNeverOneInsideTheData() {
        DataFile file = file("{\"numRecords\":2,\"minValues\":{\"id\":1,\"amount\":-0.000000000000000001},"
                + "\"maxValues\":{\"id\":2,\"amount\":9876543210987.654321},\"nullCount\":{\"id\":0,\"amount\":0}}");
        BigDecimal upper = Conversions.fromByteBuffer(
                SCHEMA.findType(2), file.upperBounds().get(2));
        BigDecimal lower = Conversions.fromByteBuffer(
                SCHEMA.findType(2), file.lowerBounds().get(2));
        assertThat(upper).isEqualByComparingTo("9876543210987.654321");
        assertThat(lower).isEqualByComparingTo("-0.000000000000000001");
        // a reader pruning on bounds keeps the file for a filter at the maximum and at the minimum
        assertThat(new InclusiveMetricsEvaluator(
                                SCHEMA, Expressions.equal("amount", new BigDecimal("9876543210987.654321000000000000")))
                        .eval(file))
                .isTrue();
        assertThat(new InclusiveMetricsEvaluator(
                                SCHEMA, Expressions.equal("amount", new BigDecimal("-0.000000000000000001")))
                        .eval(file))
                .isTrue();
    }

    @Test
    void aTimestampBoundCoversTheMillisecondDeltaWrote() {
        DataFile file = file("{\"numRecords\":1,\"minValues\":{\"at\":\"2024-01-01T12:00:00.123+01:00\"},"
                + "\"maxValues\":{\"at\":\"2024-01-01T12:00:00.123+01:00\"},\"nullCount\":{\"at\":0}}");
        long lower = Conversions.fromByteBuffer(
                SCHEMA.findType(3), file.lowerBounds().get(3));
        long upper = Conversions.fromByteBuffer(
                SCHEMA.findType(3), file.upperBounds().get(3));
        long at = PartitionValues.timestampMicros("2024-01-01 11:00:00.123Z");
        assertThat(lower).isEqualTo(at);
        assertThat(upper).isEqualTo(at + 999);
    }

    @Test
    void aValueThatIsNoBoundIsLeftOut() {
        // a decimal with more digits than the column's scale cannot be exact: no bound
        DataFile file = file("{\"numRecords\":1,\"maxValues\":{\"amount\":1.0000000000000000001}}");
        assertThat(file.upperBounds() == null || !file.upperBounds().containsKey(2))
                .isTrue();
    }
}
