package io.deltaplane.metadata.api.commit;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code POST /transactions}: commits to several tables, all applied or none. */
public record TransactionRequest(List<TableCommit> commits) {

    /**
     * One table's part: {@code table} is {@code catalog.schema.table}; either {@code actions}, or
     * for a catalog-managed table the {@code staged_commit} an engine wrote for the next version.
     */
    public record TableCommit(
            String table, Long expectedVersion, List<JsonNode> actions, String operation, StagedCommit stagedCommit) {}

    /** A file under the table's {@code _delta_log/_staged_commits/}: {@code <20-digit version>.<uuid>.json}. */
    public record StagedCommit(String fileName) {}

    /** The new version of each table. */
    public record Response(Map<String, Long> versions) {}
}
