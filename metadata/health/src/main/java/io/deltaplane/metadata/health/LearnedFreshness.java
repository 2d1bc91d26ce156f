package io.deltaplane.metadata.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How long a table may go without a data commit at a given moment, learned from its commit history
 * (a pure function: the times in, the expectation out).
 *
 * <p>With at least {@link #WEEKLY_HISTORY} of history, the table's weekly pattern answers: for each
 * of the last {@link #WEEKS} weeks, the silence in which the same moment of that week fell — from
 * the last commit before it to the first after it — is how long the table was quiet around this
 * hour of this weekday. The upper median of those silences (one outage in three weeks does not
 * count) with {@link #TOLERANCE} on top is what the table may be quiet now: an hourly table is late
 * after 75 minutes, a table quiet every weekend is not late on Saturday, and a nightly job that
 * did not run is late the next morning. With less history, the table's usual intervals answer: the
 * 90th percentile of the gaps between its commits, with the same tolerance. Nothing is learned from
 * fewer than {@link #MIN_COMMITS} commits or a history shorter than {@link #MIN_SPAN} (a burst of
 * commits says nothing of a table's rhythm), and no table is expected more often than every {@link
 * #MIN_ALLOWED}.
 */
final class LearnedFreshness {

    /** Commits the history needs before an expectation is learned. */
    static final int MIN_COMMITS = 10;

    /** The history must cover a day at least: a backfill's burst of commits is no rhythm. */
    static final Duration MIN_SPAN = Duration.ofDays(1);

    /** The least silence a learned expectation allows. */
    static final Duration MIN_ALLOWED = Duration.ofMinutes(5);

    /** The weekly pattern needs two weeks: one week could be the exception. */
    static final Duration WEEKLY_HISTORY = Duration.ofDays(14);

    /** Commits read at most (an hourly table writes ~700 in the history; a table writing every second, far more). */
    static final int MAX_COMMITS = 50_000;

    /** Weeks looked back at most (the history read is {@link #HISTORY} long). */
    static final int WEEKS = 4;

    /** The commit history read: the weeks looked back and a day of margin. */
    static final Duration HISTORY = Duration.ofDays(7L * WEEKS + 1);

    private static final Duration WEEK = Duration.ofDays(7);

    /** Late when the silence exceeds what history shows by a quarter. */
    static final double TOLERANCE = 1.25;

    /** How the expectation was learned. */
    enum Basis {
        /** The same moment of the week in past weeks. */
        WEEKLY_PATTERN,
        /** The 90th percentile of the intervals between commits. */
        USUAL_INTERVAL
    }

    /**
     * @param allowedSilence how long the table may be quiet at this moment
     * @param usualSilence what history shows, before the tolerance
     * @param usualInterval the median interval between commits
     * @param basis how it was learned
     * @param weeks the weeks the weekly pattern used (0 for the usual interval)
     */
    record Learned(Duration allowedSilence, Duration usualSilence, Duration usualInterval, Basis basis, int weeks) {}

    private LearnedFreshness() {}

    /**
     * The expectation at {@code now} from {@code commits}, the table's data commit times in
     * ascending order (those of the last {@link #HISTORY}); empty below {@link #MIN_COMMITS}.
     */
    static Optional<Learned> at(List<Instant> commits, Instant now) {
        if (!enough(commits)) {
            return Optional.empty();
        }
        return Optional.of(at(commits, gaps(commits), now));
    }

    /**
     * What {@link #at} answers for each hour of the week from {@code learnedAt} on, learned once: the
     * expectation at the middle of the hour {@code learnedAt} is in and of each hour of the week
     * after it. Looked up within a day, it answers what {@link #at} would at that hour's middle, but
     * for the commits since it was learned.
     */
    static FreshnessProfile profile(List<Instant> commits, Instant learnedAt) {
        return profile(commits, learnedAt, commits.isEmpty() ? null : commits.get(commits.size() - 1));
    }

    /**
     * {@link #profile(List, Instant)}, recording {@code through} as the newest data commit it has
     * seen: the table's newest, even one the history left out (stamped after {@code learnedAt}), so
     * a profile that learned nothing is relearned at the next commit, not at every pass.
     */
    static FreshnessProfile profile(List<Instant> commits, Instant learnedAt, Instant through) {
        Long usualInterval = usualInterval(commits).map(Duration::toSeconds).orElse(null);
        if (!enough(commits)) {
            return new FreshnessProfile(learnedAt, through, commits.size(), usualInterval, List.of());
        }
        List<Duration> gaps = gaps(commits);
        Instant weekStart = FreshnessProfile.weekStart(learnedAt);
        List<FreshnessProfile.Hour> hours = new ArrayList<>(FreshnessProfile.HOURS);
        for (int h = 0; h < FreshnessProfile.HOURS; h++) {
            Instant middle = weekStart.plus(Duration.ofMinutes(60L * h + 30));
            if (!middle.plus(Duration.ofMinutes(30)).isAfter(learnedAt)) {
                middle = middle.plus(WEEK); // that hour is over this week: the next one's
            }
            hours.add(FreshnessProfile.Hour.of(at(commits, gaps, middle)));
        }
        boolean sameEveryHour = hours.stream().distinct().count() == 1;
        return new FreshnessProfile(
                learnedAt, through, commits.size(), usualInterval, sameEveryHour ? List.of(hours.get(0)) : hours);
    }

    /** Enough history to learn from: {@link #MIN_COMMITS} commits over {@link #MIN_SPAN} at least. */
    private static boolean enough(List<Instant> commits) {
        return commits.size() >= MIN_COMMITS
                && Duration.between(commits.get(0), commits.get(commits.size() - 1))
                                .compareTo(MIN_SPAN)
                        >= 0;
    }

    /** {@link #at} with the history's gaps (shortest first) already taken. */
    private static Learned at(List<Instant> commits, List<Duration> gaps, Instant now) {
        Duration usualInterval = gaps.get(gaps.size() / 2);
        Instant first = commits.get(0);
        if (!first.plus(WEEKLY_HISTORY).isAfter(now)) {
            List<Duration> silences = new ArrayList<>();
            for (int w = 1; w <= WEEKS; w++) {
                Instant moment = now.minus(WEEK.multipliedBy(w));
                if (moment.isBefore(first)) {
                    break;
                }
                silenceAround(commits, moment).ifPresent(silences::add);
            }
            if (!silences.isEmpty()) {
                Collections.sort(silences);
                Duration usual = silences.get(silences.size() / 2);
                return new Learned(tolerated(usual), usual, usualInterval, Basis.WEEKLY_PATTERN, silences.size());
            }
        }
        Duration usual = gaps.get(Math.min(gaps.size() - 1, (int) Math.ceil(gaps.size() * 0.9) - 1));
        return new Learned(tolerated(usual), usual, usualInterval, Basis.USUAL_INTERVAL, 0);
    }

    /** The median interval between {@code commits} (ascending); empty below two commits. */
    static Optional<Duration> usualInterval(List<Instant> commits) {
        if (commits.size() < 2) {
            return Optional.empty();
        }
        List<Duration> gaps = gaps(commits);
        return Optional.of(gaps.get(gaps.size() / 2));
    }

    /** The intervals between consecutive {@code commits}, shortest first. */
    private static List<Duration> gaps(List<Instant> commits) {
        List<Duration> gaps = new ArrayList<>(commits.size() - 1);
        for (int i = 1; i < commits.size(); i++) {
            gaps.add(Duration.between(commits.get(i - 1), commits.get(i)));
        }
        Collections.sort(gaps);
        return gaps;
    }

    /**
     * From the last commit at or before {@code moment} to the first after it; empty when no commit
     * came after it (the silence then is the present one, which cannot be its own measure).
     */
    private static Optional<Duration> silenceAround(List<Instant> commits, Instant moment) {
        int i = Collections.binarySearch(commits, moment);
        int after = i >= 0 ? i + 1 : -i - 1; // first index with a time after moment
        while (after < commits.size() && !commits.get(after).isAfter(moment)) {
            after++;
        }
        if (after == 0 || after == commits.size()) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(commits.get(after - 1), commits.get(after)));
    }

    private static Duration tolerated(Duration usual) {
        Duration allowed = Duration.ofMillis(Math.round(usual.toMillis() * TOLERANCE));
        return allowed.compareTo(MIN_ALLOWED) < 0 ? MIN_ALLOWED : allowed;
    }
}
