package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.health.LearnedFreshness.Basis;
import io.deltaplane.metadata.health.LearnedFreshness.Learned;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** What the platform learns from a commit history, at chosen moments (no clock, no database). */
class LearnedFreshnessTest {

    /** A Monday, 00:00 UTC. */
    private static final Instant MONDAY = Instant.parse("2026-01-05T00:00:00Z");

    private static List<Instant> hourly(Instant from, Duration span, Predicate<Instant> when) {
        List<Instant> commits = new ArrayList<>();
        for (Instant t = from; t.isBefore(from.plus(span)); t = t.plus(Duration.ofHours(1))) {
            if (when.test(t)) {
                commits.add(t);
            }
        }
        return commits;
    }

    private static boolean weekday(Instant t) {
        DayOfWeek day = t.atOffset(ZoneOffset.UTC).getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    @Test
    void anHourlyTableSilentAfterTwoWeeksMayBeQuietSeventyFiveMinutesNotMore() {
        List<Instant> commits = hourly(MONDAY, Duration.ofDays(14), t -> true);
        Instant last = commits.get(commits.size() - 1);

        Learned learned =
                LearnedFreshness.at(commits, last.plus(Duration.ofMinutes(74))).orElseThrow();

        assertThat(learned.basis()).isEqualTo(Basis.WEEKLY_PATTERN);
        assertThat(learned.weeks()).isEqualTo(2);
        assertThat(learned.usualSilence()).isEqualTo(Duration.ofHours(1));
        assertThat(learned.allowedSilence()).isEqualTo(Duration.ofMinutes(75));
        assertThat(learned.usualInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aTableQuietEveryWeekendIsNotLateOnSaturdayButIsOnMondayMorning() {
        List<Instant> commits = hourly(MONDAY, Duration.ofDays(19), LearnedFreshnessTest::weekday);
        // the history ends Friday 23:00 of the third week; Saturday 10:00 is 11 hours later
        Instant saturday = MONDAY.plus(Duration.ofDays(19)).plus(Duration.ofHours(10));
        Learned onSaturday = LearnedFreshness.at(commits, saturday).orElseThrow();
        assertThat(onSaturday.basis()).isEqualTo(Basis.WEEKLY_PATTERN);
        assertThat(onSaturday.usualSilence())
                .as("the weekend silence, Friday 23:00 to Monday 00:00")
                .isEqualTo(Duration.ofHours(49));
        assertThat(Duration.ofHours(11)).isLessThan(onSaturday.allowedSilence());

        Instant mondayMorning = MONDAY.plus(Duration.ofDays(21)).plus(Duration.ofHours(3));
        Learned onMonday = LearnedFreshness.at(commits, mondayMorning).orElseThrow();
        assertThat(onMonday.allowedSilence()).isEqualTo(Duration.ofMinutes(75));
        assertThat(Duration.between(commits.get(commits.size() - 1), mondayMorning))
                .isGreaterThan(onMonday.allowedSilence());
    }

    @Test
    void oneOutageInFourWeeksDoesNotBecomeTheExpectation() {
        // hourly for four weeks, except six silent hours on the second Tuesday from 10:00
        Instant outage = MONDAY.plus(Duration.ofDays(8)).plus(Duration.ofHours(10));
        List<Instant> commits = hourly(
                MONDAY,
                Duration.ofDays(28),
                t -> t.isBefore(outage.plus(Duration.ofMinutes(1))) || !t.isBefore(outage.plus(Duration.ofHours(6))));
        Instant last = commits.get(commits.size() - 1);
        // three weeks after the outage began: the four weeks read include the outage's (3 before)
        Instant now = outage.plus(Duration.ofDays(21)).plus(Duration.ofMinutes(30));
        assertThat(now).isAfter(last);

        Learned learned = LearnedFreshness.at(commits, now).orElseThrow();

        assertThat(learned.weeks()).isEqualTo(4);
        assertThat(learned.usualSilence())
                .as("the upper median of 1, 1, 6 and 1 hours")
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void withLessThanTwoWeeksTheUsualIntervalAnswers() {
        List<Instant> commits = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // every 15 minutes for a day and a half, every tenth interval 45
            commits.add(MONDAY.plus(Duration.ofMinutes(15L * i + 30L * (i / 10))));
        }
        Instant last = commits.get(commits.size() - 1);

        Learned learned =
                LearnedFreshness.at(commits, last.plus(Duration.ofMinutes(5))).orElseThrow();

        assertThat(learned.basis()).isEqualTo(Basis.USUAL_INTERVAL);
        assertThat(learned.usualInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(learned.usualSilence())
                .as("the 90th percentile of 149 intervals, 14 of them 45 minutes")
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(learned.allowedSilence()).isEqualTo(Duration.ofSeconds(15 * 60 * 5 / 4));
    }

    @Test
    void aBurstIsNoRhythmAndNoTableIsExpectedMoreOftenThanEveryFiveMinutes() {
        List<Instant> burst = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // a backfill: 500 commits in under a minute
            burst.add(MONDAY.plusMillis(100L * i));
        }
        assertThat(LearnedFreshness.at(burst, MONDAY.plus(Duration.ofMinutes(2))))
                .as("a history shorter than a day")
                .isEmpty();

        List<Instant> everySecond = new ArrayList<>(burst);
        everySecond.add(MONDAY.plus(Duration.ofDays(1)));
        for (int i = 1; i <= 500; i++) {
            everySecond.add(MONDAY.plus(Duration.ofDays(1)).plusSeconds(i));
        }
        Learned learned = LearnedFreshness.at(
                        everySecond, MONDAY.plus(Duration.ofDays(1)).plusSeconds(600))
                .orElseThrow();
        assertThat(learned.allowedSilence()).isEqualTo(LearnedFreshness.MIN_ALLOWED);
    }

    @Test
    void belowTenCommitsNothingIsLearned() {
        List<Instant> commits = hourly(MONDAY, Duration.ofHours(LearnedFreshness.MIN_COMMITS - 1), t -> true);
        commits.set(commits.size() - 1, MONDAY.plus(Duration.ofDays(2)));
        assertThat(commits).hasSize(LearnedFreshness.MIN_COMMITS - 1);
        assertThat(LearnedFreshness.at(commits, MONDAY.plus(Duration.ofDays(3))))
                .isEqualTo(Optional.empty());
        commits.add(MONDAY.plus(Duration.ofDays(2).plusHours(1)));
        assertThat(LearnedFreshness.at(commits, MONDAY.plus(Duration.ofDays(3))))
                .isPresent();
    }

    @Test
    void aStoredProfileAnswersWhatTheHistoryWouldAtEveryHourOfTheDayAfterItWasLearned() {
        // weekdays hourly for three weeks (quiet weekends), learned on Friday 23:20 of the third week
        List<Instant> commits = hourly(MONDAY, Duration.ofDays(19), LearnedFreshnessTest::weekday);
        Instant learnedAt =
                MONDAY.plus(Duration.ofDays(18)).plus(Duration.ofHours(23)).plus(Duration.ofMinutes(20));
        FreshnessProfile profile = LearnedFreshness.profile(commits, learnedAt);

        assertThat(profile.hours()).hasSize(FreshnessProfile.HOURS);
        assertThat(profile.historyCommits()).isEqualTo(commits.size());
        assertThat(profile.learnedThrough()).isEqualTo(commits.get(commits.size() - 1));
        int compared = 0;
        for (int h = 0; h < 24; h++) {
            // the middle of each hour from learning to a day later: what the history says there
            Instant middle =
                    learnedAt.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofMinutes(60L * h + 30));
            assertThat(profile.at(middle))
                    .as("hour %d after learning", h)
                    .isEqualTo(LearnedFreshness.at(commits, middle));
            compared++;
        }
        assertThat(compared).isEqualTo(24);
        assertThat(profile.at(learnedAt.plus(Duration.ofHours(11)))
                        .orElseThrow()
                        .usualSilence())
                .as("Saturday 10:20: the weekend's silence")
                .isEqualTo(Duration.ofHours(49));
        assertThat(profile.current(learnedAt.plus(Duration.ofHours(23)), null)).isTrue();
        assertThat(profile.current(learnedAt.plus(Duration.ofHours(24)), null))
                .as("a day old")
                .isFalse();
    }

    @Test
    void aProfileOfAnHourlyTableIsOneEntryAndOneOfTooLittleHistoryIsRelearnedWithTheNextCommit() {
        List<Instant> hourly = hourly(MONDAY, Duration.ofDays(3), t -> true);
        FreshnessProfile sameEveryHour = LearnedFreshness.profile(hourly, MONDAY.plus(Duration.ofDays(3)));
        assertThat(sameEveryHour.hours())
                .as("the usual interval answers every hour")
                .hasSize(1);
        assertThat(sameEveryHour
                        .at(MONDAY.plus(Duration.ofDays(3).plusHours(5)))
                        .orElseThrow()
                        .allowedSilence())
                .isEqualTo(Duration.ofMinutes(75));

        List<Instant> few = hourly.subList(0, LearnedFreshness.MIN_COMMITS - 1);
        Instant learnedAt = MONDAY.plus(Duration.ofHours(12));
        FreshnessProfile nothing = LearnedFreshness.profile(few, learnedAt);
        assertThat(nothing.hours()).isEmpty();
        assertThat(nothing.at(learnedAt)).isEmpty();
        assertThat(nothing.current(learnedAt.plus(Duration.ofHours(1)), few.get(few.size() - 1)))
                .isTrue();
        assertThat(nothing.current(learnedAt.plus(Duration.ofHours(1)), learnedAt.plus(Duration.ofMinutes(30))))
                .as("a data commit since: learn again")
                .isFalse();
    }
}
