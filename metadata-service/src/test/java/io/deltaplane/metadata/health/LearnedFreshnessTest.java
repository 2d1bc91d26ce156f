package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.health.LearnedFreshness.Basis;
import io.deltaplane.metadata.health.LearnedFreshness.Learned;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

        // 149 intervals: the 14 into commits 10, 20, ..., 140 are 45 minutes, the other 135 are 15. The 90th
        // percentile (nearest rank): rank ceil(0.9 × 149) = ceil(134.1) = 135, the 135th shortest, 15 minutes;
        // plus a quarter: 15 min × 1.25 = 18 min 45 s.
        assertThat(learned.basis()).isEqualTo(Basis.USUAL_INTERVAL);
        assertThat(learned.usualInterval()).as("the median, the 75th shortest").isEqualTo(Duration.ofMinutes(15));
        assertThat(learned.usualSilence())
                .as("the 90th percentile of 149 intervals, 14 of them 45 minutes")
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(learned.allowedSilence()).isEqualTo(Duration.ofMinutes(18).plusSeconds(45));
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
        // 1,000 intervals: 499 of 0.1 s, 500 of 1 s, one of a day less 49.9 s. The 90th percentile, the
        // 900th shortest, is 1 s; 1 s × 1.25 = 1.25 s, below docs/health.md's floor: "never allows less
        // than 5 minutes of silence"
        assertThat(learned.usualSilence()).isEqualTo(Duration.ofSeconds(1));
        assertThat(learned.allowedSilence()).as("the floor, 5 minutes").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void belowTenCommitsOrADayOfHistoryNothingIsLearned() {
        // docs/health.md: "Below 10 data commits, or with a history shorter than a day ..., nothing is learned"
        List<Instant> nine = hourly(MONDAY, Duration.ofHours(8), t -> true); // Monday 00:00 to 07:00: 8 commits
        nine.add(MONDAY.plus(Duration.ofDays(2))); // Wednesday 00:00
        assertThat(nine).hasSize(9);
        assertThat(LearnedFreshness.at(nine, MONDAY.plus(Duration.ofDays(3))))
                .as("9 commits over two days")
                .isEqualTo(Optional.empty());

        List<Instant> ten = new ArrayList<>(nine);
        ten.add(MONDAY.plus(Duration.ofDays(2).plusHours(1))); // Wednesday 01:00
        assertThat(ten).hasSize(10);
        Learned learned =
                LearnedFreshness.at(ten, MONDAY.plus(Duration.ofDays(3))).orElseThrow();
        // 9 intervals: 8 of 1 h and Monday 07:00 to Wednesday 00:00, 41 h. The 90th percentile: rank
        // ceil(0.9 × 9) = 9, the longest, 41 h; 41 h × 1.25 = 51 h 15 min.
        assertThat(learned.basis()).isEqualTo(Basis.USUAL_INTERVAL);
        assertThat(learned.usualSilence()).isEqualTo(Duration.ofHours(41));
        assertThat(learned.allowedSilence()).isEqualTo(Duration.ofHours(51).plusMinutes(15));

        List<Instant> notADay = hourly(MONDAY, Duration.ofHours(9), t -> true); // 00:00 to 08:00: 9 commits
        notADay.add(MONDAY.plus(Duration.ofHours(23).plusMinutes(59)));
        assertThat(notADay).hasSize(10);
        assertThat(LearnedFreshness.at(notADay, MONDAY.plus(Duration.ofDays(2))))
                .as("10 commits over 23 h 59 min")
                .isEqualTo(Optional.empty());

        List<Instant> aDay = hourly(MONDAY, Duration.ofHours(9), t -> true);
        aDay.add(MONDAY.plus(Duration.ofDays(1)));
        assertThat(aDay).hasSize(10);
        // 9 intervals: 8 of 1 h and 08:00 to 24:00, 16 h; the 90th percentile is the longest, 16 h; × 1.25 = 20 h
        assertThat(LearnedFreshness.at(aDay, MONDAY.plus(Duration.ofDays(2))).map(Learned::allowedSilence))
                .as("10 commits over exactly a day")
                .contains(Duration.ofHours(20));
    }

    @Test
    void aStoredProfileHoldsTheExpectationOfEveryHourOfTheWeekAsHandComputed() {
        // weekdays hourly for three weeks, quiet weekends: Monday 5 January 00:00 to Friday 23 January
        // 23:00, 15 days × 24 = 360 commits; learned on Friday 23 January at 23:20
        List<Instant> commits = hourly(MONDAY, Duration.ofDays(19), LearnedFreshnessTest::weekday);
        Instant learnedAt = Instant.parse("2026-01-23T23:20:00Z");
        FreshnessProfile profile = LearnedFreshness.profile(commits, learnedAt);

        assertThat(profile.historyCommits()).isEqualTo(360);
        assertThat(profile.learnedThrough()).isEqualTo(Instant.parse("2026-01-23T23:00:00Z"));
        assertThat(profile.usualIntervalSeconds())
                .as("359 intervals: 357 of an hour and two weekends of 49 h; the median is an hour")
                .isEqualTo(3_600L);
        // Each hour of the week (0 = Monday 00:00 UTC) at its middle, in the week still to come when
        // learned: Friday 23:00-24:00 to Sunday this week, Monday to Friday 23:00 next week. At each,
        // the silence around the same moment 1, 2, 3 and 4 weeks before, none before the first commit
        // (Monday 5 January 00:00); their upper median, times 1.25.
        //  - hours 0-118, Monday 26 to Friday 30 January 22:30: three weeks back (19, 12 and 5 January)
        //    each between two hourly commits: 1 h, 1 h, 1 h -> 1 h = 3,600 s; × 1.25 = 75 min = 4,500 s
        //  - hours 119-167, Friday 23 January 23:30 to Sunday 25 January 23:30: two weeks back (16-18
        //    and 9-11 January; 2-4 January is before the history) each in the weekend's silence, Friday
        //    23:00 to Monday 00:00, 49 h -> 49 h = 176,400 s; × 1.25 = 61 h 15 min = 220,500 s
        List<FreshnessProfile.Hour> expected = new ArrayList<>();
        expected.addAll(Collections.nCopies(119, new FreshnessProfile.Hour(4_500, 3_600, 3)));
        expected.addAll(Collections.nCopies(49, new FreshnessProfile.Hour(220_500, 176_400, 2)));
        assertThat(profile.hours()).as("7 × 24 hours").hasSize(168).isEqualTo(expected);

        Set<Instant> looked = new HashSet<>();
        for (int h = 0; h < 24; h++) {
            // the middle of each hour from learning to a day later: Friday 23:30, Saturday 00:30 ... 22:30
            Instant middle = Instant.parse("2026-01-23T23:30:00Z").plus(Duration.ofHours(h));
            assertThat(profile.at(middle))
                    .as("hour %d after learning", h)
                    .contains(new Learned(
                            Duration.ofHours(61).plusMinutes(15),
                            Duration.ofHours(49),
                            Duration.ofHours(1),
                            Basis.WEEKLY_PATTERN,
                            2));
            looked.add(middle);
        }
        assertThat(looked).hasSize(24);
        assertThat(profile.at(Instant.parse("2026-01-24T10:20:00Z"))
                        .orElseThrow()
                        .usualSilence())
                .as("Saturday 10:20: the weekend's silence")
                .isEqualTo(Duration.ofHours(49));
        assertThat(profile.at(Instant.parse("2026-01-26T03:30:00Z")))
                .as("Monday 03:30 next week: an hourly table's")
                .contains(new Learned(
                        Duration.ofMinutes(75), Duration.ofHours(1), Duration.ofHours(1), Basis.WEEKLY_PATTERN, 3));
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

        List<Instant> few = hourly.subList(0, 9); // one below docs/health.md's 10 data commits
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
