package io.deltaplane.metadata.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.snapshot.SnapshotRepository.LiveFile;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Snapshots (latest, by version, by timestamp), their files, history and changes. A version older
 * than the first one Postgres keeps (history pruning) is 404 VERSION_NOT_FOUND naming that one; the
 * history lists the versions kept.
 */
@RestController
@RequestMapping("/api/v1/tables/{fullName}")
public class SnapshotController {

    private final AccessControl access;

    public static final String NDJSON = "application/x-ndjson";

    /** The two files handlers share one operation in the contract; springdoc merges their content. */
    private static final String RESPONSE_FILES = "One page of the live files; with Accept: application/x-ndjson"
            + " all of them, streamed, with the version in the X-Delta-Version header";

    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final SnapshotVersions versions;
    private final JsonMapper json;

    SnapshotController(
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

    @GetMapping("/snapshot")
    public SnapshotResponse snapshot(
            @PathVariable String fullName,
            @RequestParam(required = false) Long version,
            @RequestParam(required = false) String timestamp) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        TableRow table = tables.require(fullName);
        long resolved = versions.resolve(table, version, timestamp);
        Optional<SnapshotResponse> snapshot = snapshots.snapshot(table, resolved);
        versions.requireRetained(table, resolved); // pruned while it was read: refused, not half answered
        return snapshot.orElseThrow(() -> SnapshotVersions.notFound(table, resolved));
    }

    /** One page of the live add actions, ordered by path; the token pins the version. */
    @GetMapping(value = "/snapshot/files", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(
            responseCode = "200",
            description = RESPONSE_FILES,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = FilesPage.class)))
    public ResponseEntity<String> files(
            @PathVariable String fullName,
            @RequestParam(required = false) Long version,
            @RequestParam(required = false) String timestamp,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        TableRow table = tables.require(fullName);
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
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
    }

    /** The whole live file list as NDJSON, streamed from a database cursor. */
    @GetMapping(value = "/snapshot/files", produces = NDJSON)
    @ApiResponse(
            responseCode = "200",
            description = RESPONSE_FILES,
            content =
                    @Content(
                            mediaType = NDJSON,
                            schema =
                                    @Schema(
                                            types = "string",
                                            description = "Each live add action, one JSON object a line")))
    public void streamFiles(
            @PathVariable String fullName,
            @RequestParam(required = false) Long version,
            @RequestParam(required = false) String timestamp,
            HttpServletResponse response)
            throws IOException {
        access.require(Securable.table(fullName), Privilege.SELECT);
        TableRow table = tables.require(fullName);
        long resolved = versions.resolve(table, version, timestamp);
        response.setContentType(NDJSON);
        response.setHeader("X-Delta-Version", Long.toString(resolved));
        OutputStream out = new BufferedOutputStream(response.getOutputStream(), 64 * 1024);
        if (resolved >= table.currentVersion()) {
            snapshots.streamFiles(table.id(), resolved, out);
        } else {
            try {
                // checked again in the stream's own snapshot: a version pruned meanwhile is refused
                snapshots.streamFiles(table.id(), resolved, () -> versions.requireRetained(table, resolved), out);
            } catch (ApiException refused) {
                response.reset(); // nothing was written: the problem is the answer
                throw refused;
            }
        }
        out.close();
    }

    @GetMapping("/history")
    public HistoryResponse history(
            @PathVariable String fullName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        TableRow table = tables.require(fullName);
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

    @GetMapping("/changes")
    public ChangesResponse changes(
            @PathVariable String fullName,
            @RequestParam(name = "from_version") long fromVersion,
            @RequestParam(name = "to_version", required = false) Long toVersion,
            @RequestParam(name = "max_results", required = false) Integer maxResults) {
        access.require(Securable.table(fullName), Privilege.SELECT);
        TableRow table = tables.require(fullName);
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
