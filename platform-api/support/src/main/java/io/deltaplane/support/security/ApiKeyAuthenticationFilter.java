package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCodes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Closes every path but the open ones: a request needs {@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>} with a scope that covers what it does (GET reads, other methods write,
 * {@code /admin} and purging deletes need admin).
 */
public final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated {@link ApiKey}. */
    public static final String API_KEY_ATTRIBUTE = ApiKey.class.getName();

    public static final String API_KEY_HEADER = "X-API-Key";

    private static final String BEARER = "Bearer ";

    private final ApiKeyStore store;
    private final List<String> openPaths;
    private final HandlerExceptionResolver problemRenderer;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public ApiKeyAuthenticationFilter(
            ApiKeyStore store, SecurityProperties properties, HandlerExceptionResolver problemRenderer) {
        this.store = requireNonNull(store, "store");
        this.openPaths = requireNonNull(properties, "properties").openPaths();
        this.problemRenderer = requireNonNull(problemRenderer, "problemRenderer");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return openPaths.stream().anyMatch(pattern -> matcher.match(pattern, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> presented = presentedKey(request);
        if (presented.isEmpty()) {
            reject(request, response, unauthenticated("An API key is required: send 'Authorization: Bearer <key>'."));
            return;
        }
        Optional<ApiKey> key = store.authenticate(presented.get());
        if (key.isEmpty()) {
            reject(request, response, unauthenticated("The API key is unknown or revoked."));
            return;
        }
        Scope required = requiredScope(request);
        if (!key.get().scope().covers(required)) {
            reject(
                    request,
                    response,
                    new ApiException(
                            HttpStatus.FORBIDDEN,
                            ErrorCodes.FORBIDDEN,
                            "This API key has scope '" + key.get().scope().wireName() + "'; this request needs '"
                                    + required.wireName() + "'."));
            return;
        }
        request.setAttribute(API_KEY_ATTRIBUTE, key.get());
        MDC.put("api_key_id", key.get().id());
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("api_key_id");
        }
    }

    /** The scope a request needs, from its method and path. */
    static Scope requiredScope(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        if (path.startsWith("/api/v1/admin/") || path.equals("/api/v1/admin")) {
            return Scope.ADMIN;
        }
        if ("DELETE".equals(method) && "true".equalsIgnoreCase(request.getParameter("purge"))) {
            return Scope.ADMIN;
        }
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> Scope.READ;
            default -> Scope.WRITE;
        };
    }

    private static Optional<String> presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).trim();
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? Optional.empty() : Optional.of(header.trim());
    }

    private static ApiException unauthenticated(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, ErrorCodes.UNAUTHENTICATED, detail);
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, ApiException problem) {
        if (problem.status() == HttpStatus.UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        problemRenderer.resolveException(request, response, null, problem);
    }
}
