package io.deltaplane.client;

import java.util.Map;

/** The API key is missing, unknown, revoked (401) or lacks the scope (403). */
public class AuthException extends DeltaplaneException {
    public AuthException(String message, int status, String errorCode, String requestId, Map<String, Object> problem) {
        super(message, status, errorCode, requestId, problem, null);
    }
}
