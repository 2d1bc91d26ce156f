package io.deltaplane.metadata.deltalog;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders a version's stored actions (a JSON array, protocol field names, commitInfo first) as a
 * Delta commit file: one compact action per line. Deterministic for the same stored value, so a
 * re-publish produces byte-identical files. Streams token by token (building a tree of every action
 * first took a seventh of the publisher's CPU); the bytes are those the tree gave, so files published
 * before stay identical on a re-publish or a content check.
 */
public final class DeltaLogJson {

    // A plain mapper: the service's snake_case naming must not touch Delta's own field names.
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DeltaLogJson() {}

    public static byte[] render(String actionsJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(actionsJson.length() + 16);
        int actions = 0;
        try (JsonParser parser = JSON.createParser(actionsJson)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw notActions();
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw notActions();
                }
                try (JsonGenerator line = JSON.createGenerator(out)) {
                    line.copyCurrentStructure(parser);
                }
                out.write('\n');
                actions++;
            }
        }
        if (actions == 0) {
            throw notActions();
        }
        return out.toByteArray();
    }

    private static IllegalStateException notActions() {
        return new IllegalStateException("A version's actions must be a non-empty JSON array");
    }
}
