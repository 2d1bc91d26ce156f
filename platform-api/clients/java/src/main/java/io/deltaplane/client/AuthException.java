package io.deltaplane.client;

import java.util.Map;

/**
 * The credential is missing, unknown, revoked or expired (401) or lacks the privilege (403); or, with
 * status 0, a token provider gave no token and nothing was sent.
 */
public class AuthException extends DeltaplaneException {
    public AuthException(String message, int status, String errorCode, String requestId, Map<String, Object> problem) {
        super(message, status, errorCode, requestId, problem, null);
    }

    /** No token could be had from the configured provider; nothing was sent. */
    public AuthException(String message, Throwable cause) {
        super(message, 0, null, null, null, cause);
    }
}
