package io.deltaplane.metadata.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.publish.HistoryStart;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which version a read means: {@code ?version=}, {@code ?timestamp=} (time travel) or the latest;
 * and whether Postgres still keeps it ({@link HistoryStart}: history pruning deletes the versions
 * older than the operator's retention).
 */
@Component
class SnapshotVersions {

    private final SnapshotRepository snapshots;
    private final HistoryStart historyStart;

    SnapshotVersions(SnapshotRepository snapshots, HistoryStart historyStart) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.historyStart = requireNonNull(historyStart, "historyStart");
    }

    long resolve(TableRow table, Long version, String timestamp) {
        if (version != null && timestamp != null) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "give version or timestamp, not both");
        }
        if (version != null) {
            if (version < 0 || version > table.currentVersion()) {
                throw notFound(table, version);
            }
            requireRetained(table, version);
            return version;
        }
        if (timestamp != null) {
            Instant at;
            try {
                at = Instant.parse(timestamp);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(
                        ErrorCode.BAD_REQUEST, "timestamp must be ISO-8601, e.g. 2026-01-31T12:00:00Z");
            }
            Optional<Long> found = snapshots.versionAt(table.id(), at);
            if (found.isEmpty()) {
                long start = historyStart.of(table.id());
                if (start > 0) {
                    throw notRetained(table, start, "no version kept was committed at or before " + timestamp);
                }
                throw ApiException.notFound(
                        ErrorCode.VERSION_NOT_FOUND,
                        "Table " + table.fullName() + " has no version committed at or before " + timestamp);
            }
            requireRetained(table, found.get());
            return found.get();
        }
        return table.currentVersion();
    }

    /**
     * Refuses a version older than the first one Postgres keeps. Reads call it again after reading:
     * pruning records the new start before it deletes, so a read that ran into the delete and saw
     * part of a version's rows finds the new start then, and is refused instead of answered. The
     * version that was current when the read began is always kept (pruning stops at the log's first
     * version, a published one): nothing to look up for it.
     */
    void requireRetained(TableRow table, long version) {
        if (version >= table.currentVersion()) {
            return;
        }
        long start = historyStart.of(table.id());
        if (version < start) {
            throw notRetained(table, start, "version " + version + " is older");
        }
    }

    static ApiException notFound(TableRow table, long version) {
        return ApiException.notFound(
                ErrorCode.VERSION_NOT_FOUND,
                "Table " + table.fullName() + " has no version " + version + " (current " + table.currentVersion()
                        + ")");
    }

    /** 404 like any missing version (Delta's VersionNotFoundException too), naming what is kept. */
    private ApiException notRetained(TableRow table, long start, String why) {
        String since = snapshots
                .committedAt(table.id(), start)
                .map(at -> ", committed " + at + " and later")
                .orElse("");
        return new ApiException(
                ErrorCode.VERSION_NOT_FOUND,
                "Table " + table.fullName() + " keeps versions " + start + " to " + table.currentVersion() + since
                        + " (deltaplane.maintenance.history-retention); " + why,
                Map.of(
                        "table",
                        table.fullName(),
                        "earliest_version",
                        start,
                        "current_version",
                        table.currentVersion()));
    }
}
