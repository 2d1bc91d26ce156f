package io.deltaplane.metadata.deltalog;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
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

    /**
     * The actions of a commit file as an engine or the platform wrote it: strict UTF-8, one JSON
     * object per line (blank lines skipped).
     *
     * @throws IllegalArgumentException saying what is wrong when the bytes are not that
     */
    public static List<JsonNode> actions(byte[] file) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a commit file is UTF-8; this one is not");
        }
        List<JsonNode> actions = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode action;
            try {
                action = JSON.readTree(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("a commit file holds one JSON object per line; a line is not JSON");
            }
            if (action == null || !action.isObject()) {
                throw new IllegalArgumentException(
                        "a commit file holds one JSON object per line; a line is not an object");
            }
            actions.add(action);
        }
        return actions;
    }

    /** The In-Commit Timestamp of a commit's commitInfo, when it has an integer one. */
    public static OptionalLong inCommitTimestamp(List<JsonNode> actions) {
        for (JsonNode action : actions) {
            JsonNode ict = action.path("commitInfo").get("inCommitTimestamp");
            if (ict != null && ict.isIntegralNumber() && ict.canConvertToLong()) {
                return OptionalLong.of(ict.asLong());
            }
        }
        return OptionalLong.empty();
    }

    private static IllegalStateException notActions() {
        return new IllegalStateException("A version's actions must be a non-empty JSON array");
    }
}
