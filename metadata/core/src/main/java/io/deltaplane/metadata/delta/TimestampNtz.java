package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delta's {@code timestampNtz} table feature (PROTOCOL.md "Timestamp without timezone"): a schema
 * with a {@code timestamp_ntz} column anywhere, nested ones included, needs the feature in both the
 * reader and the writer features, or Delta's readers (delta-spark) refuse the table. Tables the
 * platform creates get it ({@link TableProtocols}); a commit whose metaData has such a column on a
 * protocol without it is refused, as Delta's own writers refuse it.
 */
public final class TimestampNtz {

    public static final String FEATURE = "timestampNtz";
    static final String TYPE = "timestamp_ntz";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TimestampNtz() {}

    /** Whether the Delta schema (a {@code schemaString}) has a {@code timestamp_ntz} column at any depth. */
    public static boolean inSchema(String schemaString) {
        return schemaString != null && uses(JSON.readTree(schemaString));
    }

    private static boolean uses(JsonNode type) {
        if (type.isMissingNode() || type.isNull()) {
            return false;
        }
        if (type.isString()) {
            return TYPE.equals(type.asString());
        }
        for (JsonNode field : type.path("fields")) {
            if (uses(field.path("type"))) {
                return true;
            }
        }
        return uses(type.path("elementType")) || uses(type.path("keyType")) || uses(type.path("valueType"));
    }

    /** Whether the protocol lists the feature for readers and writers. */
    public static boolean inProtocol(JsonNode protocol) {
        return protocol != null && lists(protocol.path("readerFeatures")) && lists(protocol.path("writerFeatures"));
    }

    private static boolean lists(JsonNode features) {
        for (JsonNode feature : features) {
            if (FEATURE.equals(feature.asString(null))) {
                return true;
            }
        }
        return false;
    }

    /** A metaData with a {@code timestamp_ntz} column needs the feature: in the commit's protocol, else the table's. */
    public static void requireFeature(CommitActions actions, Supplier<JsonNode> currentProtocol) {
        if (actions.metadata() == null
                || !inSchema(actions.metadata().path("schemaString").asString(null))) {
            return;
        }
        JsonNode protocol = actions.protocol() != null ? actions.protocol().json() : currentProtocol.get();
        if (!inProtocol(protocol)) {
            throw invalidAction("a timestamp_ntz column needs the " + FEATURE
                    + " reader and writer feature in the protocol (minReaderVersion 3, minWriterVersion 7):"
                    + " Delta's readers refuse the table without it");
        }
    }
}
