package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Commits an engine staged under {@code _delta_log/_staged_commits/} (catalog-managed tables), as
 * parts of a multi-table transaction: read before it, recorded inside it, published after it.
 * Implemented by the Delta REST API's package, which depends on this one, never the other way.
 */
public interface StagedCommits {

    /** A staged commit's actions and what the catalog records of it. */
    record Staged(String fileName, List<JsonNode> actions, long inCommitTimestamp, long size) {}

    /**
     * Reads the staged commit {@code fileName} for version {@code version} of {@code table}.
     *
     * @throws io.deltaplane.support.problem.ApiException 400 when the name does not name that
     *     version or the file is not there, or it has no in-commit timestamp
     */
    Staged read(TableRow table, long version, String fileName);

    /** Inside the committing transaction: version {@code version} came from {@code staged}. */
    void record(TableRow table, long version, Staged staged);

    /** After the transaction committed: writes {@code <version>.json} (and any before it not yet written). */
    void publish(TableRow table, long version);
}
