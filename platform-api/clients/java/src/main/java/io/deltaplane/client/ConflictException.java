package io.deltaplane.client;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The request conflicts with the current state (409; 400 for Unity Catalog's {@code
 * *_ALREADY_EXISTS}, a rename onto a taken name): the resource already exists, a commit's
 * {@code expected_version} is stale ({@link #currentVersion()} tells the table's version), or an
 * idempotency key was reused with another body.
 */
public class ConflictException extends DeltaplaneException {
    public ConflictException(
            String message, int status, String errorCode, String requestId, Map<String, Object> problem) {
        super(message, status, errorCode, requestId, problem, null);
    }

    /** The table's current version on a {@code VERSION_CONFLICT}. */
    public OptionalLong currentVersion() {
        Object v = problem().get("current_version");
        return v instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    public boolean alreadyExists() {
        return "ALREADY_EXISTS".equals(errorCode())
                || (errorCode() != null && errorCode().endsWith("_EXISTS"));
    }
}
