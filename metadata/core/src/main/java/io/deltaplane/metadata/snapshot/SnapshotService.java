package io.deltaplane.metadata.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.snapshot.SnapshotRepository.LiveFile;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshots (latest, by version, by timestamp), their files, history and changes, for readers with
 * SELECT on the table ({@code /api/v1}'s {@code api.snapshot.SnapshotController}). A version older than the first one Postgres
 * keeps (history pruning) is 404 VERSION_NOT_FOUND naming that one; the history lists the versions
 * kept.
 */
@Service
public class SnapshotService {

    /** Where a streamed file list goes: opened once the version is known, dropped if it is refused. */
    public interface FileSink {
        OutputStream open(long version) throws IOException;

        /** Nothing was written: the refusal is the answer. */
        void abandon();
    }

    private final AccessControl access;
    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final SnapshotVersions versions;
    private final JsonMapper json;

    SnapshotService(
            TableRepository tables,
            SnapshotRepository snapshots,
            SnapshotVersions versions,
            JsonMapper json,
            AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.versions = requireNonNull(versions, "versions");
        this.json = requireNonNull(json, "json");
    }

    /** The table, needing SELECT. */
    private TableRow readable(TableName name) {
        access.require(name.securable(), Privilege.SELECT);
        return tables.require(name);
    }

    public SnapshotResponse snapshot(TableName name, Long version, String timestamp) {
        TableRow table = readable(name);
        long resolved = versions.resolve(table, version, timestamp);
        Optional<SnapshotResponse> snapshot = snapshots.snapshot(table, resolved);
        versions.requireRetained(table, resolved); // pruned while it was read: refused, not half answered
        return snapshot.orElseThrow(() -> SnapshotVersions.notFound(table, resolved));
    }

    /** One page of the live add actions, ordered by path, as the JSON body; the token pins the version. */
    public String filesPage(TableName name, Long version, String timestamp, Integer maxResults, String pageToken) {
        TableRow table = readable(name);
        int limit = PageTokens.limit(maxResults);
        FilesCursor cursor = FilesCursor.of(pageToken, version, () -> versions.resolve(table, version, timestamp));
        long resolved = cursor.version();
        List<LiveFile> page =
                snapshots.files(table.id(), resolved, table.currentVersion(), cursor.afterPath(), limit + 1);
        versions.requireRetained(table, resolved); // also a page token's version, pruned since its first page
        StringBuilder body = new StringBuilder(64 + page.size() * 300);
        body.append("{\"version\":").append(resolved).append(",\"files\":[");
        for (int i = 0; i < Math.min(limit, page.size()); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(page.get(i).action());
        }
        body.append("],\"next_page_token\":");
        if (page.size() > limit) {
            body.append(json.writeValueAsString(cursor.next(page.get(limit - 1).path())));
        } else {
            body.append("null");
        }
        body.append('}');
        return body.toString();
    }

    /** The whole live file list as NDJSON, streamed from a database cursor into {@code sink}. */
    public void streamFiles(TableName name, Long version, String timestamp, FileSink sink) throws IOException {
        TableRow table = readable(name);
        long resolved = versions.resolve(table, version, timestamp);
        OutputStream out = sink.open(resolved);
        if (resolved >= table.currentVersion()) {
            snapshots.streamFiles(table.id(), resolved, out);
        } else {
            try {
                // checked again in the stream's own snapshot: a version pruned meanwhile is refused
                snapshots.streamFiles(table.id(), resolved, () -> versions.requireRetained(table, resolved), out);
            } catch (ApiException refused) {
                sink.abandon();
                throw refused;
            }
        }
        out.close();
    }

    public HistoryResponse history(TableName name, Integer maxResults, String pageToken) {
        TableRow table = readable(name);
        int limit = PageTokens.limit(maxResults);
        String cursor = PageTokens.decode(pageToken);
        long from;
        try {
            from = cursor.isEmpty() ? table.currentVersion() : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGE_TOKEN, "page_token is not valid");
        }
        List<HistoryResponse.Entry> page = snapshots.history(table.id(), from, limit + 1);
        String next = page.size() > limit
                ? PageTokens.encode(Long.toString(page.get(limit).version()))
                : null;
        return new HistoryResponse(page.subList(0, Math.min(limit, page.size())), next);
    }

    public ChangesResponse changes(TableName name, long fromVersion, Long toVersion, Integer maxResults) {
        TableRow table = readable(name);
        long to = toVersion == null ? table.currentVersion() : toVersion;
        if (fromVersion < 0 || fromVersion > to) {
            throw ApiException.badRequest(
                    ErrorCode.BAD_REQUEST, "from_version must be between 0 and to_version (" + to + ")");
        }
        if (to > table.currentVersion()) {
            throw SnapshotVersions.notFound(table, to);
        }
        versions.requireRetained(table, fromVersion);
        int limit = Math.min(PageTokens.limit(maxResults), 1000);
        List<ChangesResponse.Change> changes = snapshots.changes(table.id(), fromVersion, to, limit);
        versions.requireRetained(table, fromVersion); // pruned while they were read: not a list with a gap
        Long next = null;
        if (!changes.isEmpty() && changes.get(changes.size() - 1).version() < to && changes.size() == limit) {
            next = changes.get(changes.size() - 1).version() + 1;
        }
        return new ChangesResponse(fromVersion, to, changes, next);
    }
}
