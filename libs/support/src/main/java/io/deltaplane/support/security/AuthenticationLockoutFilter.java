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
 * Runs before authentication: refuses (429) a credential that has failed too often, without
 * looking it up ({@link AuthenticationThrottle}); and clears the request's {@code api_key_id} log
 * field once the request is done.
 */
final class AuthenticationLockoutFilter extends OncePerRequestFilter {

    static final String MDC_KEY = "api_key_id";

    private final AuthenticationThrottle failures;
    private final SecurityProblems problems;

    AuthenticationLockoutFilter(AuthenticationThrottle failures, SecurityProblems problems) {
        this.failures = failures;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Duration> blocked = failures.credentialBlocked(request);
        if (blocked.isPresent()) {
            problems.tooManyFailures(request, response, blocked.get());
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }
}
