package io.deltaplane.metadata.health;

import io.deltaplane.metadata.health.LearnedFreshness.Basis;
import io.deltaplane.metadata.health.LearnedFreshness.Learned;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Optional;

/**
 * A table's learned freshness for every hour of the week, learned once from its commit history
 * ({@link LearnedFreshness#profile}) and kept ({@link FreshnessProfiles}) so that judging the table
 * later reads one stored value instead of its history.
 *
 * @param learnedAt when it was learned
 * @param learnedThrough the newest data commit in the history it was learned from; null when none
 * @param historyCommits the data commits in that history
 * @param usualIntervalSeconds their median interval; null below two commits
 * @param hours what was learned for each hour of the week from Monday 00:00 UTC ({@link #HOURS}
 *     entries), one entry when it is the same at every hour, none when nothing could be learned
 */
record FreshnessProfile(
        Instant learnedAt, Instant learnedThrough, int historyCommits, Long usualIntervalSeconds, List<Hour> hours) {

    /** Hours in a week. */
    static final int HOURS = 7 * 24;

    /** A profile is relearned when it is older than this. */
    static final Duration RELEARNED_AFTER = Duration.ofDays(1);

    /**
     * What was learned for one hour of the week.
     *
     * @param weeks the weeks the weekly pattern read; 0 when the usual interval answered
     */
    record Hour(long allowedSeconds, long usualSeconds, int weeks) {

        static Hour of(Learned learned) {
            return new Hour(
                    learned.allowedSilence().toSeconds(), learned.usualSilence().toSeconds(), learned.weeks());
        }

        Learned learned(Long usualIntervalSeconds) {
            return new Learned(
                    Duration.ofSeconds(allowedSeconds),
                    Duration.ofSeconds(usualSeconds),
                    Duration.ofSeconds(usualIntervalSeconds == null ? 0 : usualIntervalSeconds),
                    weeks > 0 ? Basis.WEEKLY_PATTERN : Basis.USUAL_INTERVAL,
                    weeks);
        }
    }

    FreshnessProfile {
        hours = List.copyOf(hours);
        if (hours.size() > 1 && hours.size() != HOURS) {
            throw new IllegalArgumentException("a profile has 0, 1 or " + HOURS + " hours, not " + hours.size());
        }
    }

    /** What the table may be quiet for at {@code now}; empty when nothing was learned. */
    Optional<Learned> at(Instant now) {
        if (hours.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(hours.get(hours.size() == 1 ? 0 : hourOfWeek(now)).learned(usualIntervalSeconds));
    }

    /**
     * Whether it still stands at {@code now}: learned less than {@link #RELEARNED_AFTER} ago (and not
     * in the future of a clock set back), and, when nothing could be learned, no data commit since.
     */
    boolean current(Instant now, Instant lastDataCommitAt) {
        if (learnedAt.isAfter(now) || !learnedAt.plus(RELEARNED_AFTER).isAfter(now)) {
            return false;
        }
        return !hours.isEmpty()
                || lastDataCommitAt == null
                || (learnedThrough != null && !lastDataCommitAt.isAfter(learnedThrough));
    }

    /** The hour of the week {@code t} falls in: 0 for Monday 00:00–01:00 UTC, up to {@link #HOURS} − 1. */
    static int hourOfWeek(Instant t) {
        ZonedDateTime utc = t.atZone(ZoneOffset.UTC);
        return (utc.getDayOfWeek().getValue() - 1) * 24 + utc.getHour();
    }

    /** Monday 00:00 UTC of the week {@code t} falls in. */
    static Instant weekStart(Instant t) {
        return t.atZone(ZoneOffset.UTC)
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .truncatedTo(ChronoUnit.DAYS)
                .toInstant();
    }
}
