package io.deltaplane.metadata.unity.delta;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Delta schema string as the Delta REST API spells columns: the same StructType, with the keys of
 * nested types in kebab-case ({@code element-type}, {@code contains-null}, {@code key-type},
 * {@code value-type}, {@code value-contains-null}); field metadata is passed through untouched.
 */
final class DeltaColumns {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> KEYS = Map.of(
            "elementType", "element-type",
            "containsNull", "contains-null",
            "keyType", "key-type",
            "valueType", "value-type",
            "valueContainsNull", "value-contains-null");

    private DeltaColumns() {}

    static JsonNode of(String schemaString) {
        return type(JSON.readTree(schemaString));
    }

    private static JsonNode type(JsonNode type) {
        if (!type.isObject()) {
            return type; // a primitive: "long", "decimal(10,2)"
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> entry : type.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            switch (key) {
                case "fields" -> {
                    ArrayNode fields = out.putArray("fields");
                    for (JsonNode field : value) {
                        ObjectNode f = ((ObjectNode) field).deepCopy();
                        f.set("type", type(field.path("type")));
                        fields.add(f);
                    }
                }
                case "elementType", "keyType", "valueType" -> out.set(KEYS.get(key), type(value));
                default -> out.set(KEYS.getOrDefault(key, key), value);
            }
        }
        return out;
    }
}
