package io.deltaplane.client;

import java.util.Map;

/** The server rejected the request as malformed or invalid (400, 413, 415, 422); nothing was stored. */
public class InvalidRequestException extends DeltaplaneException {
    public InvalidRequestException(
            String message, int status, String errorCode, String requestId, Map<String, Object> problem) {
        super(message, status, errorCode, requestId, problem, null);
    }
}
