package io.deltaplane.client;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one logical call of a generated API: hands it the per-call headers ({@code X-Request-Id},
 * kept across retries, and for creating POSTs an {@code Idempotency-Key}), retries it with
 * exponential backoff and jitter (Resilience4j) on network failures, 429 (honouring
 * {@code Retry-After}) and 502/503/504, and turns the generated {@code ApiException} into the typed
 * {@link DeltaplaneException}s. Every call is either idempotent or carries an idempotency key, which
 * is what makes retrying all of them safe.
 */
final class Calls {

    public static final String REQUEST_ID = "X-Request-Id";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger log = LoggerFactory.getLogger(Calls.class);

    /** A generated call, given the headers to send (the generated methods' {@code headers} overload). */
    @FunctionalInterface
    public interface Call<T> {
        T call(Map<String, String> headers) throws Exception;
    }

    private final Retry retry;

    public Calls(int maxAttempts) {
        IntervalFunction backoff =
                IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(10));
        this.retry = Retry.of(
                "deltaplane-client",
                RetryConfig.custom()
                        .maxAttempts(maxAttempts)
                        .retryOnException(Calls::retryable)
                        .intervalBiFunction(
                                (IntervalBiFunction<Object>) (attempt, either) -> waitFor(attempt, either, backoff))
                        .build());
        retry.getEventPublisher()
                .onRetry(event -> log.debug(
                        "Retrying after {} (attempt {})",
                        event.getLastThrowable().getMessage(),
                        event.getNumberOfRetryAttempts()));
    }

    /** A GET, PUT or DELETE, or a POST that is idempotent by nature (a heartbeat): no idempotency key. */
    public <T> T idempotent(Call<T> call) {
        String requestId = UUID.randomUUID().toString();
        return run(call, Map.of(REQUEST_ID, requestId), requestId);
    }

    /** A POST that creates or changes something: sent with an idempotency key so it can be retried. */
    public <T> T create(Call<T> call) {
        String requestId = UUID.randomUUID().toString();
        return run(
                call,
                Map.of(REQUEST_ID, requestId, IDEMPOTENCY_KEY, UUID.randomUUID().toString()),
                requestId);
    }

    private <T> T run(Call<T> call, Map<String, String> headers, String requestId) {
        Supplier<T> attempt = () -> {
            try {
                return call.call(headers);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                DeltaplaneException error = ErrorMapper.map(e, requestId);
                log.debug("Call {} failed: {}", requestId, error.getMessage());
                throw error;
            }
        };
        return Retry.decorateSupplier(retry, attempt).get();
    }

    static boolean retryable(Throwable e) {
        if (e instanceof TransientNetworkException || e instanceof RateLimitedException) {
            return true;
        }
        return e instanceof ServerException s && (s.status() == 502 || s.status() == 503 || s.status() == 504);
    }

    private static long waitFor(int attempt, Either<Throwable, ?> either, IntervalFunction backoff) {
        long computed = backoff.apply(attempt);
        if (either != null && either.isLeft() && either.getLeft() instanceof RateLimitedException limited) {
            return Math.max(computed, Math.min(limited.retryAfter().toMillis(), 30_000));
        }
        return computed;
    }
}
