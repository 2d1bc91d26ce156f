package io.deltaplane.metadata.health;

import io.deltaplane.metadata.health.TableHealth.Anomaly;
import io.deltaplane.metadata.health.TableHealth.Day;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the last complete UTC day added far fewer rows than the table usually does (a pure
 * function of the daily series). With two weeks of history the day is compared with the same
 * weekday of up to four past weeks (a table quiet on Sundays is not short on a Sunday); with one
 * week, with the seven days before it. It is short when it added less than {@link #SHORT_FRACTION}
 * of their median; a day without commits added zero rows.
 */
final class VolumeAnomaly {

    /** A day below this fraction of the usual is an anomaly. */
    static final double SHORT_FRACTION = 0.25;

    private VolumeAnomaly() {}

    /** {@code days}: the series, oldest first, days without data commits left out. */
    static Optional<Anomaly> of(List<Day> days, LocalDate today) {
        if (days.isEmpty()) {
            return Optional.empty();
        }
        Map<LocalDate, Long> rows = new HashMap<>();
        days.forEach(d -> rows.put(d.day(), d.rowsAdded()));
        LocalDate first = days.get(0).day();
        LocalDate judged = today.minusDays(1);
        List<Long> usual = new ArrayList<>();
        String comparedWith;
        if (!first.isAfter(judged.minusDays(14))) {
            for (int w = 1; w <= 4 && !judged.minusWeeks(w).isBefore(first); w++) {
                usual.add(rows.getOrDefault(judged.minusWeeks(w), 0L));
            }
            comparedWith = "the same weekday of the " + usual.size() + " weeks before";
        } else if (!first.isAfter(judged.minusDays(7))) {
            for (int d = 1; d <= 7; d++) {
                usual.add(rows.getOrDefault(judged.minusDays(d), 0L));
            }
            comparedWith = "the 7 days before";
        } else {
            return Optional.empty();
        }
        Collections.sort(usual);
        long median = usual.get(usual.size() / 2);
        long added = rows.getOrDefault(judged, 0L);
        if (median > 0 && added < median * SHORT_FRACTION) {
            return Optional.of(new Anomaly(judged, added, median, comparedWith));
        }
        return Optional.empty();
    }
}
