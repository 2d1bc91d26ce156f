package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.table.TableRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The profile the health pass keeps in Postgres, for a history committed through the API on the
 * test's clock at chosen instants, against values computed by hand from docs/health.md's rule (not
 * from {@link LearnedFreshness}): what the pass learns, stores and reads back is what the doc says.
 */
class StoredFreshnessProfileTest extends HealthTestBase {

    @Autowired
    FreshnessProfiles profiles;

    @Autowired
    TableRepository tables;

    @Test
    void aDailyWeekdayTablesStoredProfileIsTheDocumentedWeeklyPatternHourByHour() {
        // M: a Monday 00:00 UTC. One data commit at 06:00 every weekday for three weeks: weeks 0, 1 and 2,
        // days 0-4, 7-11 and 14-18 after M; 15 commits, the last Friday of week 2 (M + 18 d 6 h).
        toNextMonday();
        Instant monday = clock.instant();
        String table = newTable();
        long version = 0;
        for (int week = 0; week < 3; week++) {
            for (int day = 0; day < 5; day++) {
                Instant at = monday.plus(Duration.ofDays(7L * week + day).plusHours(6));
                movable().advance(Duration.between(clock.instant(), at));
                ok(commit(table, version, add("d" + version + ".parquet", 1_000)), 201);
                version++;
            }
        }
        Instant last = monday.plus(Duration.ofDays(18).plusHours(6));
        assertThat(clock.instant()).isEqualTo(last);
        // the pass an hour after the last commit learns the profile and keeps it
        movable().advance(Duration.ofHours(1));
        Instant learnedAt = monday.plus(Duration.ofDays(18).plusHours(7));
        evaluator.evaluate();

        String[] parts = table.split("\\.");
        UUID id = tables.find(parts[0], parts[1], parts[2]).orElseThrow().id();
        FreshnessProfile stored = profiles.stored(id).orElseThrow();

        assertThat(stored.learnedAt()).isEqualTo(learnedAt);
        assertThat(stored.learnedThrough()).as("the last data commit").isEqualTo(last);
        assertThat(stored.historyCommits()).isEqualTo(15);
        // 14 intervals: 4 weekday ones of 24 h in each week (12) and two weekends, Friday 06:00 to
        // Monday 06:00, of 72 h. The median (the 8th shortest) is 24 h = 86,400 s.
        assertThat(stored.usualIntervalSeconds()).isEqualTo(86_400L);

        // docs/health.md, Freshness, "Learned": 18 days of history is "two weeks or more", so the weekly
        // pattern: at each hour's middle (the hours still to come this week from Friday 07:00 of week 2,
        // the earlier ones next week, week 3) the silence around the same moment 1, 2, 3 and 4 weeks
        // before (none before the first commit, none still open after the last); their upper median,
        // "plus a quarter".
        //  - hours 0-5, Monday 00:30-05:30 of week 3: weeks 2 and 1 each in the weekend's silence, 72 h;
        //    week 0 is before the first commit (Monday 06:00). 72 h = 259,200 s; × 1.25 = 90 h = 324,000 s
        //  - hours 6-101, Monday 06:30 to Friday 05:30 of week 3: weeks 2, 1 and 0 each between two
        //    daily commits, 24 h. 24 h = 86,400 s; × 1.25 = 30 h = 108,000 s
        //  - hour 102, Friday 06:30 of week 3: week 2's moment is after the last commit (its silence is
        //    still open, no measure); weeks 1 and 0 in the weekend's silence, 72 h -> 324,000 s, 2 weeks
        //  - hours 103-167, Friday 07:30 to Sunday 23:30 of week 2: weeks 1 and 0 in the weekend's
        //    silence, 72 h; week -1 is before the history -> 324,000 s, 2 weeks
        FreshnessProfile.Hour weekend = new FreshnessProfile.Hour(324_000, 259_200, 2);
        FreshnessProfile.Hour weekday = new FreshnessProfile.Hour(108_000, 86_400, 3);
        List<FreshnessProfile.Hour> expected = new ArrayList<>();
        expected.addAll(Collections.nCopies(6, weekend));
        expected.addAll(Collections.nCopies(96, weekday));
        expected.addAll(Collections.nCopies(66, weekend));
        assertThat(stored.hours()).as("7 × 24 hours, read back from Postgres").isEqualTo(expected);

        // the endpoint reads the stored profile's entry for the current hour (Friday 07:00 of week 2)
        var freshness = health(table).get("freshness");
        assertThat(freshness.get("basis").asString()).isEqualTo("weekly_pattern");
        assertThat(freshness.get("allowed_silence_seconds").asLong()).isEqualTo(324_000);
        assertThat(freshness.get("weeks").asInt()).isEqualTo(2);
    }
}
