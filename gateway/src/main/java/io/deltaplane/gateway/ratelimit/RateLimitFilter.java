package io.deltaplane.gateway.ratelimit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.security.ApiKey;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.Credential;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Limits each API key, and each single sign-on caller, to {@link
 * RateLimitProperties#requestsPerPeriod()} requests per period (Resilience4j, one limiter each). Runs after authentication, so it knows the key; open paths
 * (health, API docs) carry no key and are not limited.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiterRegistry registry;
    private final RateLimiterConfig config;
    private final Duration period;
    private final HandlerExceptionResolver problemRenderer;

    public RateLimitFilter(
            RateLimiterRegistry registry, RateLimitProperties properties, HandlerExceptionResolver problemRenderer) {
        this.registry = requireNonNull(registry, "registry");
        this.period = properties.period();
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(properties.requestsPerPeriod())
                .limitRefreshPeriod(properties.period())
                .timeoutDuration(Duration.ZERO) // answer 429 at once rather than queueing the caller
                .build();
        this.problemRenderer = requireNonNull(problemRenderer, "problemRenderer");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Credential> credential = ApiKeyRequests.credential(request);
        if (credential.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        // One limiter per key, or per single sign-on caller (issuer and subject: all its tokens).
        String name = credential.get() instanceof ApiKey key
                ? "api-key-" + key.id()
                : credential.get().callerId();
        RateLimiter limiter = registry.rateLimiter(name, config);
        if (limiter.acquirePermission()) {
            chain.doFilter(request, response);
            return;
        }
        problemRenderer.resolveException(request, response, null, new RateLimitedException(retryAfterSeconds(limiter)));
    }

    private long retryAfterSeconds(RateLimiter limiter) {
        long nanos = limiter instanceof AtomicRateLimiter atomic
                ? atomic.getDetailedMetrics().getNanosToWait()
                : period.toNanos();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
