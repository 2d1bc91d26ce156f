package io.deltaplane.metadata.commit;

import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The commitInfo a version the platform writes carries: its operation, and the client's info with ours. */
final class CommitInfos {

    private CommitInfos() {}

    /** The operation asked for, else the client's commitInfo's, else WRITE. */
    static String operation(String requested, ObjectNode commitInfo) {
        if (requested != null && !requested.isBlank()) {
            return requested;
        }
        JsonNode given = commitInfo == null ? null : commitInfo.get("operation");
        return given != null && given.isString() ? given.stringValue() : "WRITE";
    }

    /**
     * The client's commitInfo (if any) with our operation, engine and table mark (a client's own
     * mark is replaced, so none can be forged through the API); timestamps are added later.
     */
    static ObjectNode ours(ObjectNode given, String operation, UUID tableId) {
        ObjectNode info = given == null ? JsonNodeFactory.instance.objectNode() : given.deepCopy();
        info.put("operation", operation);
        info.put(CommitWriter.TABLE_ID_FIELD, tableId.toString());
        if (!info.has("engineInfo")) {
            info.put("engineInfo", "Deltaplane");
        }
        return info;
    }
}
