package io.deltaplane.support.problem;

import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * 503 SERVICE_UNAVAILABLE with {@code Retry-After}: the request was refused for now, nothing was
 * changed, and the same request will succeed once the condition passes.
 */
public final class RetryLaterException extends ApiException {

    private final int retryAfterSeconds;

    public RetryLaterException(String detail, int retryAfterSeconds, Map<String, Object> properties) {
        super(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE, detail, properties);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        return headers;
    }
}
