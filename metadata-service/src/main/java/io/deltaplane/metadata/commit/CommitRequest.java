package io.deltaplane.metadata.commit;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /tables/{full_name}/commits}: Delta actions in the protocol's own JSON.
 *
 * @param expectedVersion the version the writer read; the new version is this plus one
 * @param actions {@code {"add":{…}}}, {@code {"remove":{…}}}, {@code {"metaData":{…}}}, …
 * @param operation recorded in commitInfo and history (default: the client's commitInfo.operation
 *     or WRITE)
 */
public record CommitRequest(Long expectedVersion, List<JsonNode> actions, String operation) {}
