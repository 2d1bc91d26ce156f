package io.deltaplane.metadata.health;

import io.deltaplane.metadata.delta.FreshnessSla;
import io.deltaplane.metadata.health.HealthRepository.Commit;
import io.deltaplane.metadata.health.LearnedFreshness.Learned;
import io.deltaplane.metadata.health.TableHealth.Freshness;
import io.deltaplane.metadata.settings.PropertyLevels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a table is fresh (a pure function, the same for the health endpoint and the pass over
 * every table): the expectation is the nearest {@link FreshnessSla} that parses — set on the table,
 * its schema or its catalog — else what was {@link LearnedFreshness learned}; the table is LATE when
 * its last data commit (its creation, without one) is older than that allows.
 */
final class FreshnessVerdict {

    private FreshnessVerdict() {}

    /**
     * @param table the table's full name
     * @param since the last data commit's time, else the table's first version's
     * @param slas the SLA as set on the table, its schema and its catalog ({@link PropertyLevels#NAMES}
     *     order; null where unset)
     * @param learned the learned expectation at {@code now}, if any
     * @param usualIntervalSeconds the median interval between data commits in the history
     * @param historyCommits the data commits in the history
     */
    static TableHealth judge(
            String table,
            Optional<Commit> last,
            Instant since,
            List<String> slas,
            Optional<Learned> learned,
            Long usualIntervalSeconds,
            int historyCommits,
            Instant now) {
        long staleness = Math.max(0, Duration.between(since, now).toSeconds());
        Freshness freshness = declared(slas, usualIntervalSeconds, historyCommits)
                .orElseGet(() -> learned.map(l -> learned(l, historyCommits))
                        .orElseGet(() -> new Freshness(
                                "none", null, null, null, null, null, usualIntervalSeconds, 0, historyCommits)));
        String status = freshness.allowedSilenceSeconds() == null
                ? "UNKNOWN"
                : staleness > freshness.allowedSilenceSeconds() ? "LATE" : "FRESH";
        return new TableHealth(
                table,
                status,
                now,
                last.map(Commit::version).orElse(null),
                last.map(Commit::at).orElse(null),
                staleness,
                freshness,
                null,
                null);
    }

    private static Optional<Freshness> declared(List<String> slas, Long usualIntervalSeconds, int historyCommits) {
        for (int i = 0; i < slas.size(); i++) {
            String value = slas.get(i);
            Optional<Duration> sla = value == null ? Optional.empty() : FreshnessSla.parse(value);
            if (sla.isPresent()) {
                return Optional.of(new Freshness(
                        "declared",
                        PropertyLevels.NAMES.get(i),
                        value,
                        sla.get().toSeconds(),
                        null,
                        null,
                        usualIntervalSeconds,
                        0,
                        historyCommits));
            }
        }
        return Optional.empty();
    }

    private static Freshness learned(Learned l, int historyCommits) {
        return new Freshness(
                "learned",
                null,
                null,
                l.allowedSilence().toSeconds(),
                l.basis().name().toLowerCase(Locale.ROOT),
                l.usualSilence().toSeconds(),
                l.usualInterval().toSeconds(),
                l.weeks(),
                historyCommits);
    }
}
