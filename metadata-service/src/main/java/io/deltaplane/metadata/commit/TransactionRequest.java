package io.deltaplane.metadata.commit;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** {@code POST /transactions}: commits to several tables, all applied or none. */
public record TransactionRequest(List<TableCommit> commits) {

    /** One table's part: {@code table} is {@code catalog.schema.table}. */
    public record TableCommit(String table, Long expectedVersion, List<JsonNode> actions, String operation) {}

    /** The new version of each table. */
    public record Response(Map<String, Long> versions) {}
}
