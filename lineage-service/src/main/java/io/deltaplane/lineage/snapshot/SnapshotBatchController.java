package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.deltaplane.lineage.snapshot.SnapshotRecords.BatchResult;
import io.deltaplane.lineage.snapshot.SnapshotRecords.SnapshotBatch;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/snapshots/batch}: many table versions in one request and one transaction, as
 * metadata-service's lineage relay delivers its outbox.
 */
@RestController
public class SnapshotBatchController {

    private final DatasetAccess access;

    private final SnapshotBatchService batches;

    public SnapshotBatchController(SnapshotBatchService batches, DatasetAccess access) {
        this.access = requireNonNull(access, "access");
        this.batches = requireNonNull(batches, "batches");
    }

    @PostMapping("/api/v1/snapshots/batch")
    @Operation(
            summary = "Record many versioned table snapshots at once",
            description = "Up to 1,000 items, each as POST /tables/{table_name}/snapshots takes it plus"
                    + " table_name (and version, required here). Idempotent per (table, version, uri): a repeat is"
                    + " ALREADY_RECORDED, not an error. Each item is checked on its own: one that breaks a rule"
                    + " is REJECTED with the error_code the single endpoint would answer, and the others are"
                    + " still recorded. A body that cannot be read (malformed JSON, wrong types) or whose"
                    + " snapshots list is missing, empty, over 1,000 or holds null is a 400 and nothing is"
                    + " stored. Results come in request order.")
    public BatchResult record(@Valid @RequestBody SnapshotBatch batch) {
        // every table of the batch, before any is recorded: all or nothing
        batch.snapshots().forEach(item -> access.requireWrite(item.tableName()));
        return batches.record(batch);
    }
}
