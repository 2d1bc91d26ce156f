package io.deltaplane.gateway.ratelimit;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/** A key made more requests than its rate limit allows: 429 with {@code Retry-After}. */
public final class RateLimitedException extends ApiException {

    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds) {
        super(
                ErrorCode.RATE_LIMITED,
                "Too many requests with this API key; retry after " + retryAfterSeconds + " s.",
                Map.of("retry_after_seconds", retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return headers;
    }
}
