package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.FreshnessSla;
import io.deltaplane.metadata.health.HealthRepository.Commit;
import io.deltaplane.metadata.health.HealthRepository.DayVolume;
import io.deltaplane.metadata.health.LearnedFreshness.Learned;
import io.deltaplane.metadata.health.TableHealth.Day;
import io.deltaplane.metadata.health.TableHealth.Freshness;
import io.deltaplane.metadata.health.TableHealth.Volume;
import io.deltaplane.metadata.settings.PropertyLevels;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * A table's health, computed when asked from what the catalog holds: its last data commit, the
 * expectation it is judged by — {@link FreshnessSla declared} on the table, its schema or its
 * catalog (nearest wins), else {@link LearnedFreshness learned} from its commit history — and its
 * daily volume with {@link VolumeAnomaly a short day} flagged.
 */
@Service
public class TableHealthService {

    /** Days of volume answered. */
    static final int VOLUME_DAYS = 29;

    private final TableRepository tables;
    private final HealthRepository health;
    private final Clock clock;
    private final PropertyLevels levels;

    TableHealthService(TableRepository tables, HealthRepository health, PropertyLevels levels, Clock clock) {
        this.tables = requireNonNull(tables, "tables");
        this.health = requireNonNull(health, "health");
        this.levels = requireNonNull(levels, "levels");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The health of {@code fullName} now (404 when there is no such table). */
    public TableHealth of(String fullName) {
        return of(tables.require(fullName), clock.instant(), true);
    }

    /** The health of {@code table} at {@code now}; its volume only {@code withVolume}. */
    TableHealth of(TableRow table, Instant now, boolean withVolume) {
        Optional<Commit> last = health.lastDataCommit(table.id());
        Instant since =
                last.map(Commit::at).or(() -> health.created(table.id())).orElse(now);
        long staleness = Math.max(0, Duration.between(since, now).toSeconds());

        Instant historyEnd = last.map(Commit::at).orElse(now);
        List<Instant> history = health.dataCommitTimes(table.id(), historyEnd.minus(LearnedFreshness.HISTORY), now);
        Long usualInterval =
                LearnedFreshness.usualInterval(history).map(Duration::toSeconds).orElse(null);
        Freshness freshness = declared(table, usualInterval, history.size())
                .orElseGet(() -> LearnedFreshness.at(history, now)
                        .map(l -> learned(l, history.size()))
                        .orElseGet(() ->
                                new Freshness("none", null, null, null, null, null, usualInterval, 0, history.size())));
        String status = freshness.allowedSilenceSeconds() == null
                ? "UNKNOWN"
                : staleness > freshness.allowedSilenceSeconds() ? "LATE" : "FRESH";

        if (!withVolume) { // the evaluator's pass judges freshness only
            return new TableHealth(
                    table.fullName(),
                    status,
                    now,
                    last.map(Commit::version).orElse(null),
                    last.map(Commit::at).orElse(null),
                    staleness,
                    freshness,
                    null);
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<Day> days = new ArrayList<>();
        for (DayVolume d : health.dailyVolume(
                table.id(),
                today.minusDays(VOLUME_DAYS - 1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
            days.add(new Day(
                    d.day(),
                    d.commits(),
                    d.filesAdded(),
                    d.rowsAdded(),
                    d.bytesAdded(),
                    d.filesRemoved(),
                    d.bytesRemoved(),
                    d.commitsRemovingMore()));
        }
        return new TableHealth(
                table.fullName(),
                status,
                now,
                last.map(Commit::version).orElse(null),
                last.map(Commit::at).orElse(null),
                staleness,
                freshness,
                new Volume(days, VolumeAnomaly.of(days, today).orElse(null)));
    }

    /** The nearest {@link FreshnessSla#KEY} that parses: the table's, its schema's, its catalog's. */
    private Optional<Freshness> declared(TableRow table, Long usualInterval, int historyCommits) {
        List<JsonNode> levels = this.levels.of(table);
        for (int i = 0; i < levels.size(); i++) {
            JsonNode value = levels.get(i).get(FreshnessSla.KEY);
            if (value != null && value.isString()) {
                Optional<Duration> sla = FreshnessSla.parse(value.stringValue());
                if (sla.isPresent()) {
                    return Optional.of(new Freshness(
                            "declared",
                            PropertyLevels.NAMES.get(i),
                            value.stringValue(),
                            sla.get().toSeconds(),
                            null,
                            null,
                            usualInterval,
                            0,
                            historyCommits));
                }
            }
        }
        return Optional.empty();
    }

    private static Freshness learned(Learned l, int commits) {
        return new Freshness(
                "learned",
                null,
                null,
                l.allowedSilence().toSeconds(),
                l.basis().name().toLowerCase(java.util.Locale.ROOT),
                l.usualSilence().toSeconds(),
                l.usualInterval().toSeconds(),
                l.weeks(),
                commits);
    }
}
