package io.deltaplane.metadata.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Component;

/** Which version a read means: {@code ?version=}, {@code ?timestamp=} (time travel) or the latest. */
@Component
class SnapshotVersions {

    private final SnapshotRepository snapshots;

    SnapshotVersions(SnapshotRepository snapshots) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
    }

    long resolve(TableRow table, Long version, String timestamp) {
        if (version != null && timestamp != null) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "give version or timestamp, not both");
        }
        if (version != null) {
            if (version < 0 || version > table.currentVersion()) {
                throw notFound(table, version);
            }
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
            return snapshots
                    .versionAt(table.id(), at)
                    .orElseThrow(() -> ApiException.notFound(
                            ErrorCode.VERSION_NOT_FOUND,
                            "Table " + table.fullName() + " has no version committed at or before " + timestamp));
        }
        return table.currentVersion();
    }

    static ApiException notFound(TableRow table, long version) {
        return ApiException.notFound(
                ErrorCode.VERSION_NOT_FOUND,
                "Table " + table.fullName() + " has no version " + version + " (current " + table.currentVersion()
                        + ")");
    }
}
