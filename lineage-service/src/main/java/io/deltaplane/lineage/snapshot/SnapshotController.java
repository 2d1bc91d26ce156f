package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.deltaplane.lineage.snapshot.SnapshotRecords.NewSnapshot;
import io.deltaplane.lineage.snapshot.SnapshotRecords.RegisterSnapshot;
import io.deltaplane.lineage.snapshot.SnapshotRecords.SnapshotPage;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Snapshots; {@code Idempotency-Key} on the creating POSTs is handled by the support library's filter. */
@RestController
public class SnapshotController {

    private final DatasetAccess access;

    private final SnapshotService snapshots;

    public SnapshotController(SnapshotService snapshots, DatasetAccess access) {
        this.access = requireNonNull(access, "access");
        this.snapshots = requireNonNull(snapshots, "snapshots");
    }

    /** The URI a pipeline should read; {@code ?run_id=} records the run as a reader (input edge). */
    @GetMapping("/api/v1/tables/{tableName}/snapshots/latest")
    public Snapshot latest(
            @PathVariable String tableName, @RequestParam(name = "run_id", required = false) UUID runId) {
        access.requireRead(tableName);
        return snapshots.latest(tableName, runId);
    }

    @GetMapping("/api/v1/tables/{tableName}/snapshots")
    public SnapshotPage history(
            @PathVariable String tableName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        access.requireRead(tableName);
        return snapshots.history(tableName, maxResults, pageToken);
    }

    /** What a run wrote: the run becomes the snapshot's writer (output edge). */
    @PostMapping("/api/v1/jobs/register-snapshot")
    @ApiResponse(
            responseCode = "201",
            description = "Registered",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = Snapshot.class)))
    public ResponseEntity<Snapshot> register(@Valid @RequestBody RegisterSnapshot request) {
        access.requireWrite(request.tableName());
        return ResponseEntity.status(HttpStatus.CREATED).body(snapshots.register(request));
    }

    /** A snapshot from outside a run (Delta commits relayed by metadata-service): 201 new, 200 known. */
    @PostMapping("/api/v1/tables/{tableName}/snapshots")
    @ApiResponse(
            responseCode = "201",
            description = "Recorded",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = Snapshot.class)))
    @ApiResponse(
            responseCode = "200",
            description = "Already recorded (the same table version): that snapshot",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = Snapshot.class)))
    public ResponseEntity<Snapshot> record(@PathVariable String tableName, @Valid @RequestBody NewSnapshot request) {
        access.requireWrite(tableName);
        SnapshotService.Recorded recorded = snapshots.record(tableName, request);
        return ResponseEntity.status(recorded.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(recorded.snapshot());
    }
}
