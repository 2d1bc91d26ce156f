package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.DeletionVectors;
import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.storage.StoredFile;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * VACUUM: deletes the files under a table's location that no version within the retention needs,
 * decided from Postgres, never from a log replay. A file is needed while it is live or was removed
 * by a version committed within the retention; every other file the log ever referenced may go,
 * and so may a file no version ever referenced once it is older than the retention (a writer may
 * be about to commit a newer one). {@code _delta_log} and every hidden path (a segment starting
 * with {@code _} or {@code .}) are never touched, nor anything outside the location.
 */
@Service
public class Vacuum {

    /** The first version committed at or after the cutoff: removes from it on are retained. */
    static final String FIRST_RETAINED_VERSION =
            "SELECT version FROM commits WHERE table_id = ? AND committed_at >= ? ORDER BY committed_at LIMIT 1";

    /**
     * Paths a retained version needs: the live ones and those removed by a retained version, each
     * with its deletion vector's storage type and path (null without one).
     */
    static final String NEEDED_PATHS = """
            SELECT path, dv ->> 'storageType', dv ->> 'pathOrInlineDv' FROM (
              SELECT path, CASE WHEN strpos(action, '"deletionVector"') > 0
                THEN CAST(action AS jsonb) -> 'deletionVector' END AS dv
              FROM files WHERE table_id = ? AND (removed_version IS NULL OR removed_version >= ?)) needed""";

    private static final int PATHS_SHOWN = 1000;
    private static final Logger log = LoggerFactory.getLogger(Vacuum.class);

    private final TableRepository tables;
    private final JdbcClient jdbc;
    private final Storages storages;
    private final AccessControl access;
    private final JsonMapper json;
    private final Clock clock;
    private final MaintenanceProperties properties;

    public Vacuum(
            TableRepository tables,
            JdbcClient jdbc,
            Storages storages,
            AccessControl access,
            JsonMapper json,
            Clock clock,
            MaintenanceProperties properties) {
        this.tables = requireNonNull(tables, "tables");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.storages = requireNonNull(storages, "storages");
        this.access = requireNonNull(access, "access");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
    }

    public VacuumResult vacuum(String fullName, VacuumRequest request) {
        Instant start = clock.instant();
        VacuumRequest asked = request == null ? VacuumRequest.DEFAULTS : request;
        TableRow table = tables.require(fullName);
        Duration retention = retention(table, asked);
        Instant cutoff = start.minus(retention);
        Storage storage = storages.forLocation(table.location());

        // Order matters, as commits land meanwhile: every path ever referenced is read first, what
        // retained versions need after. A file committed in between is then needed (live, or removed
        // by a version committed since, which is retained); read the other way round, it was
        // "referenced but not needed" and VACUUM deleted a live file (found by the fault suite).
        // With no version since the cutoff, the removes of any version committed from now on are kept.
        long firstRetained = jdbc.sql(FIRST_RETAINED_VERSION)
                .params(table.id(), cutoff.atOffset(ZoneOffset.UTC))
                .query(Long.class)
                .optional()
                .orElse(table.currentVersion() + 1); // the table as read before any of this
        Set<String> referenced = objects(table, storage, tables.dataFilePaths(table.id()));
        Set<String> needed = objects(
                table,
                storage,
                jdbc
                        .sql(NEEDED_PATHS)
                        .params(table.id(), firstRetained)
                        .query((rs, n) -> {
                            List<String> files = new ArrayList<>(2);
                            files.add(rs.getString(1));
                            DeletionVectors.file(rs.getString(2), rs.getString(3))
                                    .ifPresent(files::add);
                            return files;
                        })
                        .list()
                        .stream()
                        .flatMap(List::stream)
                        .toList());

        List<StoredFile> doomed = new ArrayList<>();
        try {
            for (StoredFile file : storage.filesUnder(table.location())) {
                String object = storage.resolve(table.location(), file.name());
                if (TablePaths.hidden(file.name()) || needed.contains(object)) {
                    continue;
                }
                if (referenced.contains(object) || file.modifiedMillis() < cutoff.toEpochMilli()) {
                    doomed.add(file);
                }
            }
        } catch (IOException e) {
            throw unavailable(table, e);
        }
        long failed = 0;
        if (!asked.isDryRun()) {
            for (StoredFile file : doomed) {
                try {
                    storage.delete(storage.resolve(table.location(), file.name()));
                } catch (IOException | RuntimeException e) {
                    failed++;
                    log.warn("VACUUM of {} could not delete {}", fullName, file.name(), e);
                }
            }
            // which files, so a missing one can be traced to its deletion (the first 20)
            log.info(
                    "VACUUM of {} deleted {} files (retention {}): {}",
                    fullName,
                    doomed.size() - failed,
                    retention,
                    doomed.stream().limit(20).map(StoredFile::name).toList());
        }
        List<String> paths =
                doomed.stream().limit(PATHS_SHOWN).map(StoredFile::name).toList();
        return new VacuumResult(
                table.fullName(),
                asked.isDryRun(),
                retention.toMillis() / 3_600_000.0,
                cutoff,
                doomed.size() - failed,
                doomed.stream().mapToLong(StoredFile::size).sum(),
                paths,
                doomed.size() > PATHS_SHOWN,
                failed,
                Duration.between(start, clock.instant()).toMillis());
    }

    /**
     * The request's retention, else the table's; under the configured minimum only for a metastore
     * admin who asks for it (Delta's retention check).
     */
    private Duration retention(TableRow table, VacuumRequest request) {
        Duration retention;
        if (request.retentionHours() != null) {
            double hours = request.retentionHours();
            if (!(hours >= 0) || hours > 24 * 365 * 100) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED, "retention_hours must be a number of hours from 0 to 876000");
            }
            retention = Duration.ofMillis(Math.round(hours * 3_600_000));
        } else {
            retention = DeltaTableProperties.deletedFileRetention(
                    json.readTree(tables.currentMetadata(table.id())).path("configuration"));
        }
        if (retention.compareTo(properties.vacuumMinRetention()) < 0) {
            if (!Boolean.TRUE.equals(request.allowShortRetention())) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "a retention of " + retention.toHours() + " hours is under the minimum of "
                                + properties.vacuumMinRetention().toHours() + ": readers of versions in between"
                                + " would lose their files. A metastore admin may allow it with"
                                + " allow_short_retention: true");
            }
            access.requireMetastoreAdmin();
        }
        return retention;
    }

    private static Set<String> objects(TableRow table, Storage storage, List<String> paths) {
        Set<String> objects = new HashSet<>();
        for (String path : paths) {
            TablePaths.objectPath(table.location(), storage, path).ifPresent(objects::add);
        }
        return objects;
    }

    private static ApiException unavailable(TableRow table, IOException e) {
        return new ApiException(
                ErrorCode.SERVICE_UNAVAILABLE,
                "VACUUM of " + table.fullName() + " could not list the table's storage (" + e.getMessage()
                        + "); nothing was deleted, run it again",
                Map.of("table", table.fullName()));
    }
}
