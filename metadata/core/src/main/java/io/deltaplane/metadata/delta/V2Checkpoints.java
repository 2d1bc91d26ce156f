package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Delta's V2 checkpoints ({@code v2Checkpoint} reader and writer feature): a table that supports
 * them gets V2-spec checkpoints — classic-named, with a {@code checkpointMetadata} action, the form
 * every V2-aware reader and every older reader that checks the protocol accept. {@code
 * delta.checkpointPolicy} is {@code classic} or {@code v2}, and {@code v2} needs the feature.
 */
public final class V2Checkpoints {

    public static final String FEATURE = "v2Checkpoint";
    public static final String POLICY_PROPERTY = "delta.checkpointPolicy";

    private V2Checkpoints() {}

    /** Whether a protocol action lists the feature (reader and writer lists carry it together). */
    public static boolean supported(JsonNode protocol) {
        for (JsonNode feature : protocol.path("writerFeatures")) {
            if (FEATURE.equals(feature.asString(null))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A metaData that sets {@code delta.checkpointPolicy} sets {@code classic} or {@code v2}, and
     * {@code v2} only on a table whose protocol (this commit's, else the stored one) has the feature.
     */
    public static void requireFeature(CommitActions actions, Supplier<JsonNode> storedProtocol) {
        JsonNode policy = actions.metadata() == null
                ? null
                : actions.metadata().path("configuration").get(POLICY_PROPERTY);
        if (policy == null || policy.isNull()) {
            return;
        }
        String value = policy.asString("");
        if (value.equals("classic")) {
            return;
        }
        if (!value.equals("v2")) {
            throw invalidAction(POLICY_PROPERTY + "=" + value + " is not valid: it is classic or v2");
        }
        JsonNode protocol = actions.protocol() != null ? actions.protocol().json() : storedProtocol.get();
        if (!supported(protocol)) {
            throw invalidAction(POLICY_PROPERTY + "=v2 needs the " + FEATURE + " feature in the table's protocol"
                    + " (minReaderVersion 3, minWriterVersion 7, in readerFeatures and writerFeatures)");
        }
    }
}
