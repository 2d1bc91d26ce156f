package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.health.TableHealth.Anomaly;
import io.deltaplane.metadata.health.TableHealth.Day;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/** When a day's rows added count as far below the table's usual (no database). */
class VolumeAnomalyTest {

    private static final LocalDate START = LocalDate.parse("2026-01-05"); // a Monday

    private static List<Day> days(int count, ToLongFunction<LocalDate> rows) {
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDate day = START.plusDays(i);
            long r = rows.applyAsLong(day);
            if (r > 0) {
                days.add(new Day(day, 24, 24, r, r * 10, 0, 0, 0));
            }
        }
        return days;
    }

    @Test
    void aDayWithATenthOfTheUsualRowsIsAnAnomaly() {
        // 21 days of 1,000 rows, then a day of 100
        List<Day> series = days(22, d -> d.equals(START.plusDays(21)) ? 100 : 1_000);
        Anomaly anomaly = VolumeAnomaly.of(series, START.plusDays(22)).orElseThrow();
        assertThat(anomaly.day()).isEqualTo(START.plusDays(21));
        assertThat(anomaly.rowsAdded()).isEqualTo(100);
        assertThat(anomaly.usualRowsAdded()).isEqualTo(1_000);
        assertThat(anomaly.comparedWith()).isEqualTo("the same weekday of the 3 weeks before");

        assertThat(VolumeAnomaly.of(days(22, d -> 1_000), START.plusDays(22))).isEmpty();
    }

    @Test
    void aQuietSundayIsUsualWhenSundaysAreQuiet() {
        ToLongFunction<LocalDate> weekdays = d -> d.getDayOfWeek() == DayOfWeek.SUNDAY ? 10 : 1_000;
        // judged: the fourth Sunday (day 27), against the three Sundays before it
        assertThat(VolumeAnomaly.of(days(28, weekdays), START.plusDays(28))).isEmpty();
    }

    @Test
    void aWeekOfHistoryComparesWithTheDaysBeforeAndLessSaysNothing() {
        List<Day> series = days(9, d -> d.equals(START.plusDays(8)) ? 0 : 500);
        Anomaly anomaly = VolumeAnomaly.of(series, START.plusDays(9)).orElseThrow();
        assertThat(anomaly.rowsAdded()).isZero();
        assertThat(anomaly.comparedWith()).isEqualTo("the 7 days before");

        assertThat(VolumeAnomaly.of(days(5, d -> d.equals(START.plusDays(4)) ? 0 : 500), START.plusDays(5)))
                .isEmpty();
    }
}
