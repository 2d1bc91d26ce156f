package io.deltaplane.metadata.api.commit;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /tables/{full_name}/commits}: Delta actions in the protocol's own JSON.
 *
 * @param expectedVersion the version the writer read; the new version is this plus one. Omitted:
 *     an append the platform places at the table's next version (adds only, with txn and
 *     domainMetadata; never a conflict with other appends)
 * @param actions {@code {"add":{…}}}, {@code {"remove":{…}}}, {@code {"metaData":{…}}}, …
 * @param operation recorded in commitInfo and history (default: the client's commitInfo.operation
 *     or WRITE)
 * @param readVersion for an append without {@code expectedVersion}: the version its files were
 *     written against; a later version that changed the metaData or protocol, or recorded a txn
 *     of the append's application ids, is a 409 conflict (omitted: none is checked)
 */
public record CommitRequest(Long expectedVersion, List<JsonNode> actions, String operation, Long readVersion) {

    /** A commit at {@code expectedVersion + 1}. */
    public CommitRequest(Long expectedVersion, List<JsonNode> actions, String operation) {
        this(expectedVersion, actions, operation, null);
    }
}
