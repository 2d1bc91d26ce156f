package io.deltaplane.metadata.api.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.snapshot.ChangesResponse;
import io.deltaplane.metadata.snapshot.HistoryResponse;
import io.deltaplane.metadata.snapshot.SnapshotResponse;
import io.deltaplane.metadata.snapshot.SnapshotService;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Snapshots (latest, by version, by timestamp), their files, history and changes, over {@link SnapshotService}. */
@RestController
@RequestMapping("/api/v1/tables/{fullName}")
public class SnapshotController {

    public static final String NDJSON = "application/x-ndjson";

    /** The two files handlers share one operation in the contract; springdoc merges their content. */
    private static final String RESPONSE_FILES = "One page of the live files; with Accept: application/x-ndjson"
            + " all of them, streamed, with the version in the X-Delta-Version header";

    private final SnapshotService snapshots;

    SnapshotController(SnapshotService snapshots) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
    }

    @GetMapping("/snapshot")
    public SnapshotResponse snapshot(
            @PathVariable String fullName,
            @RequestParam(required = false) Long version,
            @RequestParam(required = false) String timestamp) {
        return snapshots.snapshot(TableName.parse(fullName), version, timestamp);
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
        String body = snapshots.filesPage(TableName.parse(fullName), version, timestamp, maxResults, pageToken);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
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
        snapshots.streamFiles(TableName.parse(fullName), version, timestamp, new SnapshotService.FileSink() {
            @Override
            public OutputStream open(long resolved) throws IOException {
                response.setContentType(NDJSON);
                response.setHeader("X-Delta-Version", Long.toString(resolved));
                return new BufferedOutputStream(response.getOutputStream(), 64 * 1024);
            }

            @Override
            public void abandon() {
                response.reset(); // nothing was written: the problem is the answer
            }
        });
    }

    @GetMapping("/history")
    public HistoryResponse history(
            @PathVariable String fullName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        return snapshots.history(TableName.parse(fullName), maxResults, pageToken);
    }

    @GetMapping("/changes")
    public ChangesResponse changes(
            @PathVariable String fullName,
            @RequestParam(name = "from_version") long fromVersion,
            @RequestParam(name = "to_version", required = false) Long toVersion,
            @RequestParam(name = "max_results", required = false) Integer maxResults) {
        return snapshots.changes(TableName.parse(fullName), fromVersion, toVersion, maxResults);
    }
}
