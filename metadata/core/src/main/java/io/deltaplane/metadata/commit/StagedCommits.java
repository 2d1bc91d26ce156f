package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Commits an engine staged under {@code _delta_log/_staged_commits/} (catalog-managed tables), as
 * parts of a multi-table transaction or one at a time: read once before the transaction, recorded
 * with their bytes inside it, published from those bytes after it ({@link DeltaLogPublication}).
 * Implemented by the {@code managed} package, which depends on this one, never the other way.
 */
public interface StagedCommits {

    /**
     * A staged commit as the catalog read it, once: its bytes (what is stored and published), their
     * actions and its In-Commit Timestamp.
     */
    record Staged(String fileName, List<JsonNode> actions, long inCommitTimestamp, byte[] content) {

        public long size() {
            return content.length;
        }
    }

    /**
     * Reads the staged commit {@code fileName} for version {@code version} of {@code table} and
     * checks what a catalog must of it before the Delta rules.
     *
     * @throws io.deltaplane.support.problem.ApiException 400 when the name does not name that
     *     version, the file is not there or not the table's own regular file, its bytes are not UTF-8
     *     JSON lines, or it breaks a catalog-managed rule (In-Commit Timestamps, the table's UC id);
     *     413 when it is over the catalog's size or action cap (checked before it is read whole)
     */
    Staged read(TableRow table, long version, String fileName);

    /**
     * Inside the committing transaction: version {@code version} came from {@code staged}, whose
     * engine gave the file's modification time as {@code fileModificationTimestamp}.
     */
    void record(TableRow table, long version, Staged staged, long fileModificationTimestamp);

    /** Whether version {@code version} of the table was ratified from the staged file {@code fileName}. */
    boolean ratifiedFrom(TableRow table, long version, String fileName);
}
