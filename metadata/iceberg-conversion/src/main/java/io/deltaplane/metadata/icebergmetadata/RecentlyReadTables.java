package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The tables an Iceberg client loaded within {@code keep-current-for}: recorded in Postgres ({@code
 * iceberg_tables.last_read_at}, at most once a minute per table however often it is loaded) and
 * known in memory, so that a commit to such a table wakes the background converter at once while a
 * commit to any other costs one map lookup. This process's own loads are known at once; other
 * replicas' arrive with {@link #refresh} (each background round reads the loads recorded since the
 * last one, so at most a round interval late, and that round's own claim converts the table
 * meanwhile). In memory only: a process that dies forgets it, and its successor's first round reads
 * every load within {@code keep-current-for} back from Postgres.
 */
@Component
class RecentlyReadTables {

    /** How often a table's load is written to Postgres, at most. */
    static final Duration RECORDED_EVERY = Duration.ofMinutes(1);
    /** Loads recorded by another replica just before a refresh may commit just after it: read them again. */
    private static final Duration REFRESH_OVERLAP = Duration.ofSeconds(5);

    private final IcebergMetadataRepository repository;
    private final Duration keepCurrentFor;
    private final Clock clock;
    /** When each table was last loaded, as far as this process knows. */
    private final Map<UUID, Instant> loadedAt = new ConcurrentHashMap<>();
    /** When this process last recorded each table's load in Postgres. */
    private final Map<UUID, Instant> recordedAt = new ConcurrentHashMap<>();

    private volatile Instant refreshedAt;

    RecentlyReadTables(IcebergMetadataRepository repository, IcebergProperties properties, Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.keepCurrentFor = properties.keepCurrentFor();
        this.clock = requireNonNull(clock, "clock");
    }

    /** An Iceberg client loaded the table: the background keeps it current from now on. */
    void loaded(UUID tableId) {
        Instant now = clock.instant();
        Instant recorded = recordedAt.get(tableId);
        if (recorded == null || !now.isBefore(recorded.plus(RECORDED_EVERY))) {
            repository.read(tableId);
            recordedAt.put(tableId, now);
        }
        loadedAt.merge(tableId, now, RecentlyReadTables::later);
    }

    /** Whether an Iceberg client loaded the table within {@code keep-current-for}, as far as this process knows. */
    boolean contains(UUID tableId) {
        Instant at = loadedAt.get(tableId);
        return at != null && at.isAfter(clock.instant().minus(keepCurrentFor));
    }

    /** Takes in the loads other replicas recorded since the last refresh and forgets those too old to matter. */
    void refresh() {
        Instant now = clock.instant();
        Instant oldest = now.minus(keepCurrentFor);
        Instant since = refreshedAt == null ? oldest : refreshedAt.minus(REFRESH_OVERLAP);
        repository.readSince(since).forEach((id, at) -> loadedAt.merge(id, at, RecentlyReadTables::later));
        loadedAt.values().removeIf(at -> !at.isAfter(oldest));
        recordedAt.values().removeIf(at -> !at.isAfter(now.minus(RECORDED_EVERY)));
        refreshedAt = now;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
