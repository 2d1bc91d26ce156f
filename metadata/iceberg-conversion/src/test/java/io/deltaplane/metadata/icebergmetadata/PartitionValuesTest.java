package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Every form of partition value the Delta protocol and its writers use, as Iceberg's internal value:
 * what the CLI and Spark write for timestamps (a fraction of 1 to 6 digits, a {@code +00} zone), an
 * empty value (null for every type but string and binary, as Kernel reads it), NaN and infinities.
 * Each of these failed the conversion before, leaving the table's Iceberg metadata stale.
 */
class PartitionValuesTest {

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    @Test
    void timestampsInEveryFormWritersUse() {
        var ts = Types.TimestampType.withZone();
        assertThat(PartitionValues.of(ts, "2024-01-01 12:00:00")).isEqualTo(micros("2024-01-01T12:00:00Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01 12:00:00.12+00")).isEqualTo(micros("2024-01-01T12:00:00.12Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01 12:00:00.1")).isEqualTo(micros("2024-01-01T12:00:00.1Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01 12:00:00.1234")).isEqualTo(micros("2024-01-01T12:00:00.1234Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01 12:00:00.123456"))
                .isEqualTo(micros("2024-01-01T12:00:00.123456Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01T12:00:00.123456Z"))
                .isEqualTo(micros("2024-01-01T12:00:00.123456Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01 13:30:00+01:30")).isEqualTo(micros("2024-01-01T12:00:00Z"));
        assertThat(PartitionValues.of(ts, "2024-01-01 11:00:00-0100")).isEqualTo(micros("2024-01-01T12:00:00Z"));
        assertThat(PartitionValues.of(ts, "1969-12-31 23:59:59.999999")).isEqualTo(-1L);
        // far from the epoch (microseconds, never nanoseconds, which overflow outside 1677-2262)
        assertThat(PartitionValues.of(ts, "0001-01-01 00:00:00")).isEqualTo(-62135596800000000L);
        assertThat(PartitionValues.of(ts, "9999-12-31 23:59:59.999999")).isEqualTo(253402300799999999L);
        assertThat(PartitionValues.of(Types.TimestampType.withoutZone(), "2024-01-01 12:00:00.5"))
                .isEqualTo(micros("2024-01-01T12:00:00.5Z"));
        // finer than Iceberg holds: refused, not rounded
        assertThatThrownBy(() -> PartitionValues.of(ts, "2024-01-01 12:00:00.123456789"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2024-01-01 12:00:00.123456789");
    }

    @Test
    void anEmptyValueIsNullButForStringsAndBinary() {
        assertThat(PartitionValues.of(Types.LongType.get(), "")).isNull();
        assertThat(PartitionValues.of(Types.IntegerType.get(), "")).isNull();
        assertThat(PartitionValues.of(Types.DateType.get(), "")).isNull();
        assertThat(PartitionValues.of(Types.TimestampType.withZone(), "")).isNull();
        assertThat(PartitionValues.of(Types.DecimalType.of(10, 2), "")).isNull();
        assertThat(PartitionValues.of(Types.BooleanType.get(), "")).isNull();
        assertThat(PartitionValues.of(Types.StringType.get(), "")).isEqualTo("");
        assertThat(PartitionValues.of(Types.BinaryType.get(), "")).isEqualTo(ByteBuffer.wrap(new byte[0]));
    }

    @Test
    void numbersIncludingTheNonFiniteOnes() {
        assertThat((Double) PartitionValues.of(Types.DoubleType.get(), "NaN")).isNaN();
        assertThat(PartitionValues.of(Types.DoubleType.get(), "-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(PartitionValues.of(Types.FloatType.get(), "inf")).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(PartitionValues.of(Types.DecimalType.of(38, 18), "9876543210987.654321"))
                .isEqualTo(new BigDecimal("9876543210987.654321000000000000"));
        assertThat(PartitionValues.of(Types.StringType.get(), "a/b=c%d +é")).isEqualTo("a/b=c%d +é");
        assertThatThrownBy(() -> PartitionValues.of(Types.LongType.get(), "twelve"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'twelve'");
        assertThatThrownBy(() -> PartitionValues.of(Types.BooleanType.get(), "yes"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
