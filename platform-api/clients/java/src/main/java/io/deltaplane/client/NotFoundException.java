package io.deltaplane.client;

import java.util.Map;

/** The resource does not exist (404). */
public class NotFoundException extends DeltaplaneException {
    public NotFoundException(
            String message, int status, String errorCode, String requestId, Map<String, Object> problem) {
        super(message, status, errorCode, requestId, problem, null);
    }
}
