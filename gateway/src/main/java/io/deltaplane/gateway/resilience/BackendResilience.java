package io.deltaplane.gateway.resilience;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.Problems;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A circuit breaker per backend, and retries around the proxy call: an idempotent request without a
 * body on a failure or a 502/503/504; any other request (a POST, a body) only when the connection
 * was never made — nothing was sent, so it cannot have taken effect (during a rolling restart the
 * Service may still route a new connection to a pod that just stopped). A
 * backend that is down or silent becomes a problem+json 503/504 instead of a hang or an HTML page.
 * Until the application is ready, every proxied request is a 503 with {@code Retry-After}: Tomcat
 * accepts connections before the context's refresh event, and until that event Spring Cloud
 * Gateway's proxy has not read its header filters (it then fails each request on the read-only
 * request headers, a 500).
 */
@Component
public class BackendResilience {

    private static final Logger log = LoggerFactory.getLogger(BackendResilience.class);

    // Retried only without a body: a streamed body is consumed by the first attempt.
    private static final Set<HttpMethod> IDEMPOTENT =
            Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.DELETE);

    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final ResilienceProperties properties;
    private volatile boolean ready;

    public BackendResilience(CircuitBreakerRegistry breakers, RetryRegistry retries, ResilienceProperties properties) {
        this.breakers = requireNonNull(breakers, "breakers");
        this.retries = requireNonNull(retries, "retries");
        this.properties = requireNonNull(properties, "properties");
    }

    /** The filter to put on every route of one backend. */
    public HandlerFilterFunction<ServerResponse, ServerResponse> forBackend(String backend) {
        CircuitBreaker breaker = breakers.circuitBreaker("backend-" + backend, breakerConfig());
        Retry retry = retries.retry("backend-" + backend, retryConfig());
        Retry connectRetry = retries.retry(connectRetryName(backend), connectRetryConfig());
        return (request, next) -> {
            if (!ready) {
                return problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The gateway is starting. Retry shortly.",
                        backend,
                        1);
            }
            return call(backend, breaker, retry, connectRetry, request, () -> {
                discardPreviousAttempt(request);
                return next.handle(request);
            });
        };
    }

    /** Proxies from now on: every listener of the context's refresh, the proxy's own among them, has run. */
    @EventListener(ApplicationReadyEvent.class)
    public void ready() {
        ready = true;
    }

    private ServerResponse call(
            String backend,
            CircuitBreaker breaker,
            Retry retry,
            Retry connectRetry,
            ServerRequest request,
            CheckedSupplier<ServerResponse> proxy) {
        CheckedSupplier<ServerResponse> guarded = CircuitBreaker.decorateCheckedSupplier(breaker, proxy);
        guarded = IDEMPOTENT.contains(request.method()) && !hasBody(request)
                ? Retry.decorateCheckedSupplier(retry, guarded)
                : Retry.decorateCheckedSupplier(connectRetry, guarded);
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            long seconds = Math.max(1, properties.openDuration().toSeconds());
            return problem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "The " + backend + " service is failing; the gateway stops calling it for a while. Retry later.",
                    backend,
                    seconds);
        } catch (ApiException e) {
            throw e; // the client's fault (e.g. an oversize body), rendered by the usual handler
        } catch (Throwable e) {
            if (UpstreamFailures.notConnected(e)) {
                log.warn("{} service unreachable: {}", backend, e.toString());
                return problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The " + backend + " service is not reachable. Retry later.",
                        backend,
                        1);
            }
            if (UpstreamFailures.timedOut(e)) {
                log.warn("{} service timed out: {}", backend, e.toString());
                return problem(
                        HttpStatus.GATEWAY_TIMEOUT,
                        ErrorCode.UPSTREAM_TIMEOUT,
                        "The " + backend + " service did not answer in time.",
                        backend,
                        1);
            }
            if (UpstreamFailures.connectionLost(e)) {
                log.warn("{} service dropped the connection mid-request: {}", backend, e.toString());
                return problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The connection to the " + backend + " service broke before it answered: the request may"
                                + " or may not have taken effect. Retry it (with the same Idempotency-Key, a retried"
                                + " change is applied once).",
                        backend,
                        1);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static boolean hasBody(ServerRequest request) {
        HttpHeaders headers = request.headers().asHttpHeaders();
        return headers.getContentLength() > 0 || headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }

    private CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(properties.failureRateThreshold())
                .slidingWindowSize(properties.slidingWindowSize())
                .minimumNumberOfCalls(properties.minimumCalls())
                .waitDurationInOpenState(properties.openDuration())
                .recordException(e -> UpstreamFailures.notConnected(e) || UpstreamFailures.timedOut(e))
                .recordResult(result -> result instanceof ServerResponse r
                        && UpstreamFailures.unavailableStatus(r.statusCode().value()))
                .build();
    }

    private RetryConfig retryConfig() {
        return RetryConfig.<ServerResponse>custom()
                .maxAttempts(properties.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(properties.retryBackoff(), 2.0, 0.5))
                .retryOnException(UpstreamFailures::notConnected)
                .retryOnResult(response ->
                        UpstreamFailures.unavailableStatus(response.statusCode().value()))
                .failAfterMaxAttempts(false)
                .build();
    }

    /** The retry of requests that may not be sent twice: only a connection never made is tried again. */
    static String connectRetryName(String backend) {
        return "backend-" + backend + "-connect";
    }

    private RetryConfig connectRetryConfig() {
        return RetryConfig.<ServerResponse>custom()
                .maxAttempts(properties.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(properties.retryBackoff(), 2.0, 0.5))
                .retryOnException(UpstreamFailures::notConnected)
                .failAfterMaxAttempts(false)
                .build();
    }

    /** Frees the connection of an earlier attempt's response that a retry replaces. */
    private static void discardPreviousAttempt(ServerRequest request) {
        // The proxy leaves the backend's response in a request attribute until it is written.
        Object previous = MvcUtils.getAttribute(request, MvcUtils.CLIENT_RESPONSE_ATTR);
        if (previous instanceof Closeable c) {
            MvcUtils.putAttribute(request, MvcUtils.CLIENT_RESPONSE_ATTR, null);
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing to do: the connection is dropped either way
            }
        }
    }

    private static ServerResponse problem(
            HttpStatus status, ErrorCode code, String detail, String backend, long retryAfterSeconds) {
        ProblemDetail problem = Problems.of(status, code.code(), detail, Map.of("backend", backend));
        return ServerResponse.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem);
    }
}
