package io.deltaplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.internal.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads list answers: a JSON array, or an object whose named (or first) array holds the items. */
final class Lists {
    private Lists() {}

    static <T> List<T> items(JsonNode answer, String field, Class<T> type) {
        JsonNode array = answer;
        if (answer != null && answer.isObject()) {
            array = answer.get(field);
            if (array == null || !array.isArray()) {
                array = null;
                for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
                    JsonNode value = it.next().getValue();
                    if (value.isArray()) {
                        array = value;
                        break;
                    }
                }
            }
        }
        List<T> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                out.add(Json.mapper().convertValue(item, type));
            }
        }
        return out;
    }
}
