package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.storage.StoredFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delta's log cleanup for a table's {@code _delta_log}: the newest checkpoint whose version was
 * committed before {@code delta.logRetentionDuration} (30 days) ago becomes the log's first
 * version, and every commit, checkpoint and checksum file of an earlier version is deleted, so a
 * reader still finds a checkpoint to start from and every version from it on. {@code
 * delta.enableExpiredLogCleanup=false} keeps everything. The new first version is recorded
 * before anything is deleted ({@code publish_state.log_start_version}), so the reconciler never
 * writes a cleaned version back. Postgres keeps every version: the platform's snapshot, history
 * and changes answer for all of them; engines reading {@code _delta_log} can time travel from the
 * first version on.
 */
@Component
public class LogCleanup {

    static final String TABLE = """
            SELECT s.location, s.log_start_version,
                   (SELECT m.action -> 'configuration' FROM metadata_versions m
                    WHERE m.table_id = s.table_id ORDER BY m.version DESC LIMIT 1)::text AS configuration
            FROM publish_state s WHERE s.table_id = ?
            """;

    /** The newest of the candidate checkpoint versions committed before the cutoff. */
    static final String NEWEST_EXPIRED = "SELECT coalesce(max(version), -1) FROM commits WHERE table_id = ?"
            + " AND version = ANY(?) AND committed_at < ?";

    static final String ADVANCE =
            "UPDATE publish_state SET log_start_version = greatest(log_start_version, ?)" + " WHERE table_id = ?";

    static final String LOG_START = "SELECT log_start_version FROM publish_state WHERE table_id = ?";

    /** A log file of a version: a commit, a (multi-part) checkpoint, a checksum, a compacted commit range. */
    private static final Pattern VERSIONED = Pattern.compile("^(\\d{20})\\..*");

    private static final Logger log = LoggerFactory.getLogger(LogCleanup.class);

    /** What one cleanup did: the log's first version now, and the files it deleted. */
    public record Result(long logStartVersion, int filesDeleted, Instant cutoff) {}

    private final JdbcClient jdbc;
    private final Storages storages;
    private final JsonMapper json;
    private final Clock clock;

    public LogCleanup(JdbcClient jdbc, Storages storages, JsonMapper json, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.storages = requireNonNull(storages, "storages");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The first version the table's {@code _delta_log} keeps (0 until a cleanup removed some). */
    public long logStartVersion(UUID tableId) {
        return jdbc.sql(LOG_START).params(tableId).query(Long.class).optional().orElse(0L);
    }

    /** Cleans the table's log (see the class comment); empty when the table is not published. */
    public Optional<Result> clean(UUID tableId) {
        record Row(String location, long logStart, String configuration) {}
        Optional<Row> row = jdbc.sql(TABLE)
                .params(tableId)
                .query((rs, n) -> new Row(rs.getString(1), rs.getLong(2), rs.getString(3)))
                .optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        var configuration = row.get().configuration() == null
                ? null
                : json.readTree(row.get().configuration());
        Duration retention = DeltaTableProperties.logRetention(configuration);
        Instant cutoff = clock.instant().minus(retention);
        long logStart = row.get().logStart();
        if (!DeltaTableProperties.expiredLogCleanup(configuration)) {
            return Optional.of(new Result(logStart, 0, cutoff));
        }
        String location = row.get().location();
        Storage storage = storages.forLocation(location);
        try {
            List<StoredFile> files = storage.files(storage.resolve(location, DeltaLogNames.LOG_DIR));
            Long[] checkpoints = files.stream()
                    .map(f -> DeltaLogNames.checkpointVersion(f.name()))
                    .filter(v -> v.isPresent() && v.getAsLong() > logStart)
                    .map(v -> v.getAsLong())
                    .toArray(Long[]::new);
            long first = checkpoints.length == 0
                    ? -1
                    : jdbc.sql(NEWEST_EXPIRED)
                            .params(tableId, checkpoints, cutoff.atOffset(ZoneOffset.UTC))
                            .query(Long.class)
                            .single();
            if (first <= logStart) {
                return Optional.of(new Result(logStart, 0, cutoff));
            }
            jdbc.sql(ADVANCE).params(first, tableId).update();
            List<String> expired = new ArrayList<>();
            for (StoredFile file : files) {
                Matcher m = VERSIONED.matcher(file.name());
                if (m.matches() && Long.parseLong(m.group(1)) < first) {
                    expired.add(file.name());
                }
            }
            int deleted = 0;
            for (String name : expired) {
                if (storage.delete(storage.resolve(location, DeltaLogNames.LOG_DIR + "/" + name))) {
                    deleted++;
                }
            }
            log.info(
                    "Log cleanup of table {}: _delta_log starts at version {} ({} files deleted)",
                    tableId,
                    first,
                    deleted);
            return Optional.of(new Result(first, deleted, cutoff));
        } catch (IOException e) {
            throw new UncheckedIOException("Log cleanup of table " + tableId + " could not reach its storage", e);
        }
    }
}
