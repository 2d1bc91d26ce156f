package io.deltaplane.support.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs before authentication: refuses (429) a client address that is locked out after failed
 * authentications, so a guesser's keys are not even checked; and clears the request's
 * {@code api_key_id} log field once the request is done.
 */
final class AuthenticationLockoutFilter extends OncePerRequestFilter {

    static final String MDC_KEY = "api_key_id";

    private final FailedAuthenticationLimiter limiter;
    private final SecurityProblems problems;

    AuthenticationLockoutFilter(FailedAuthenticationLimiter limiter, SecurityProblems problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (ApiKeyRequests.presentedKey(request).isPresent()) {
            Optional<Duration> blocked = limiter.blocked(request.getRemoteAddr());
            if (blocked.isPresent()) {
                problems.tooManyFailures(request, response, blocked.get());
                return;
            }
        }
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
