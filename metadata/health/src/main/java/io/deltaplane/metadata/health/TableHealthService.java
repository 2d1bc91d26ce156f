package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.FreshnessSla;
import io.deltaplane.metadata.health.HealthRepository.Commit;
import io.deltaplane.metadata.health.HealthRepository.DayVolume;
import io.deltaplane.metadata.health.TableHealth.Day;
import io.deltaplane.metadata.health.TableHealth.InIncident;
import io.deltaplane.metadata.health.TableHealth.Volume;
import io.deltaplane.metadata.settings.PropertyLevels;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
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
    private final FreshnessProfiles profiles;
    private final Clock clock;
    private final PropertyLevels levels;
    private final IncidentLog incidents;

    TableHealthService(
            TableRepository tables,
            HealthRepository health,
            FreshnessProfiles profiles,
            PropertyLevels levels,
            IncidentLog incidents,
            Clock clock) {
        this.tables = requireNonNull(tables, "tables");
        this.health = requireNonNull(health, "health");
        this.profiles = requireNonNull(profiles, "profiles");
        this.levels = requireNonNull(levels, "levels");
        this.incidents = requireNonNull(incidents, "incidents");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * The health of {@code fullName} now (404 when there is no such table), with the open incident
     * it is in; of an incident whose table the caller may not read ({@code mayRead}), only that it
     * is affected by one.
     */
    public TableHealth of(String fullName, Predicate<String> mayRead) {
        TableRow table = tables.require(fullName);
        TableHealth h = of(table, clock.instant());
        Optional<Incident> own = incidents.openOf(table.id(), IncidentLog.KIND_LATE);
        if (own.isPresent()) {
            return h.in(new InIncident(
                    own.get().id(),
                    InIncident.ROOT,
                    table.fullName(),
                    null,
                    own.get().cause()));
        }
        return incidents
                .openAffecting(table.fullName(), IncidentLog.KIND_LATE)
                .map(i -> mayRead.test(i.table())
                        ? new InIncident(i.id(), InIncident.AFFECTED, i.table(), pathTo(i, table.fullName()), i.cause())
                        : new InIncident(null, InIncident.AFFECTED, null, null, null))
                .map(h::in)
                .orElse(h);
    }

    private static String pathTo(Incident incident, String table) {
        return incident.affected().stream()
                .filter(path -> path.endsWith(UpstreamCause.STEP + table))
                .findFirst()
                .orElse(null);
    }

    /**
     * The health of {@code table} at {@code now}, by its stored freshness profile when that is
     * current (so it agrees with the pass that opens incidents), else by one learned now.
     */
    TableHealth of(TableRow table, Instant now) {
        Optional<Commit> last = health.lastDataCommit(table.id());
        Instant since =
                last.map(Commit::at).or(() -> health.created(table.id())).orElse(now);
        Instant lastAt = last.map(Commit::at).orElse(null);
        FreshnessProfile profile = profiles.stored(table.id())
                .filter(p -> p.current(now, lastAt))
                .orElseGet(() -> profiles.learn(table.id(), last, now));
        List<String> slas = new ArrayList<>();
        for (JsonNode level : levels.of(table)) {
            JsonNode value = level.get(FreshnessSla.KEY);
            slas.add(value != null && value.isString() ? value.stringValue() : null);
        }
        TableHealth judged = FreshnessVerdict.judge(
                table.fullName(),
                last,
                since,
                slas,
                profile.at(now),
                profile.usualIntervalSeconds(),
                profile.historyCommits(),
                now);
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
                judged.table(),
                judged.status(),
                judged.evaluatedAt(),
                judged.lastDataVersion(),
                judged.lastDataCommitAt(),
                judged.stalenessSeconds(),
                judged.freshness(),
                new Volume(days, VolumeAnomaly.of(days, today).orElse(null)),
                null);
    }
}
