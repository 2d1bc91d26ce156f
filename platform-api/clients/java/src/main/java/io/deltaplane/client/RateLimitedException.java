package io.deltaplane.client;

import java.time.Duration;
import java.util.Map;

/** Too many requests with this API key (429); {@link #retryAfter()} says when to try again. */
public class RateLimitedException extends DeltaplaneException {
    private final Duration retryAfter;

    public RateLimitedException(
            String message, String errorCode, String requestId, Map<String, Object> problem, Duration retryAfter) {
        super(message, 429, errorCode, requestId, problem, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
