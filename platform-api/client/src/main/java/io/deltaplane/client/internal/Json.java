package io.deltaplane.client.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** JSON helpers of the layer, and the one fix-up the generated clients' mapper needs. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * The generated clients' mapper, made to accept a JSON object or array where the contract says
     * string: metadata-service sends a table's {@code schema} and {@code properties}, a snapshot's
     * {@code protocol}/{@code metadata} and a commit's {@code commit_info} as raw JSON
     * ({@code @JsonRawValue String}), which Springdoc documents as {@code type: string}. Without this
     * the generated models fail on every table answer; with it those fields hold the JSON text.
     */
    public static ObjectMapper forGenerated(ObjectMapper generatedDefaults) {
        return generatedDefaults.addHandler(new RawJsonAsText());
    }

    private static final class RawJsonAsText extends DeserializationProblemHandler {
        @Override
        public Object handleUnexpectedToken(
                DeserializationContext context, JavaType target, JsonToken token, JsonParser parser, String message)
                throws IOException {
            if (target.hasRawClass(String.class)
                    && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
                return parser.readValueAsTree().toString();
            }
            return NOT_HANDLED;
        }
    }

    /** A JSON value of a generated model (JSON text, or the maps and lists Jackson made of it) as a tree. */
    public static JsonNode tree(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            try {
                return MAPPER.readTree(text);
            } catch (IOException notJson) {
                return TextNode.valueOf(text);
            }
        }
        return MAPPER.valueToTree(value);
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
