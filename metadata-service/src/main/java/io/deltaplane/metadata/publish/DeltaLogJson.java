package io.deltaplane.metadata.publish;

import java.io.ByteArrayOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a version's stored actions (a JSON array, protocol field names, commitInfo first) as a
 * Delta commit file: one compact action per line. Deterministic for the same stored value, so a
 * re-publish produces byte-identical files.
 */
public final class DeltaLogJson {

    // A plain mapper: the service's snake_case naming must not touch Delta's own field names.
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DeltaLogJson() {}

    public static byte[] render(String actionsJson) {
        JsonNode actions = JSON.readTree(actionsJson);
        if (!actions.isArray() || actions.isEmpty()) {
            throw new IllegalStateException("A version's actions must be a non-empty JSON array");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(actionsJson.length() + 16);
        for (JsonNode action : actions) {
            out.writeBytes(JSON.writeValueAsBytes(action));
            out.write('\n');
        }
        return out.toByteArray();
    }
}
