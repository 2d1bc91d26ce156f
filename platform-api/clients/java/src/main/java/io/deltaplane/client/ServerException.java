package io.deltaplane.client;

import java.util.Map;

/** The server failed (5xx); retried automatically for idempotent calls before it reaches you. */
public class ServerException extends DeltaplaneException {
    public ServerException(
            String message, int status, String errorCode, String requestId, Map<String, Object> problem) {
        super(message, status, errorCode, requestId, problem, null);
    }
}
