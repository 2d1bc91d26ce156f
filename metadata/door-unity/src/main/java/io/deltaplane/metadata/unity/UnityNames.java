package io.deltaplane.metadata.unity;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;

/** Checks shared by UC's create and update requests. */
final class UnityNames {

    static final int MAX_PROPERTIES = 100;
    static final int MAX_PROPERTY_LENGTH = 4096;

    private UnityNames() {}

    /** Properties as given, checked; none is an empty map. */
    static Map<String, String> properties(Map<String, String> properties) {
        Map<String, String> checked = propertiesOrNull(properties);
        return checked == null ? Map.of() : checked;
    }

    /** Properties as given, checked; null means "leave them as they are". */
    static Map<String, String> propertiesOrNull(Map<String, String> properties) {
        if (properties == null) {
            return null;
        }
        if (properties.size() > MAX_PROPERTIES) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "properties: at most " + MAX_PROPERTIES + " entries.");
        }
        properties.forEach((key, value) -> {
            if (key == null || key.isEmpty() || value == null) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED, "properties: keys must be non-empty and values present.");
            }
            if (key.length() > 255
                    || value.length() > MAX_PROPERTY_LENGTH
                    || key.indexOf('\0') >= 0
                    || value.indexOf('\0') >= 0) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "properties: keys up to 255 and values up to " + MAX_PROPERTY_LENGTH
                                + " characters, without NUL.");
            }
        });
        return Map.copyOf(properties);
    }
}
