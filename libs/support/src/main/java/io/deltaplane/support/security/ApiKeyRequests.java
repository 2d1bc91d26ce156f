package io.deltaplane.support.security;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Where a request carries its API key: {@code Authorization: Bearer <key>} or {@code X-API-Key};
 * and, once authenticated, which stored key it was (for rate limits, idempotency and logs).
 */
public final class ApiKeyRequests implements AuthenticationConverter {

    /** Request attribute holding the authenticated {@link ApiKey}. */
    public static final String API_KEY_ATTRIBUTE = ApiKey.class.getName();

    public static final String API_KEY_HEADER = "X-API-Key";

    private static final String BEARER = "Bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        return presentedKey(request).map(ApiKeyAuthentication::presented).orElse(null);
    }

    static Optional<String> presentedKey(HttpServletRequest request) {
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

    /** The authenticated key of the current request, if any. */
    public static Optional<ApiKey> current(HttpServletRequest request) {
        return request.getAttribute(API_KEY_ATTRIBUTE) instanceof ApiKey key ? Optional.of(key) : Optional.empty();
    }

    /** The principal the current request's key acts for (the {@link io.deltaplane.support.access.CurrentPrincipal} of every service). */
    public static Optional<String> currentPrincipal() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication key
                        && key.apiKey() != null
                ? Optional.of(key.apiKey().principal())
                : Optional.empty();
    }

    /**
     * Throws 403 unless the current request's key covers {@code scope}: for decisions that depend on
     * a bound parameter (purging files), made inside the handler on the value it will act on.
     */
    public static void require(Scope scope, String what) {
        // The authorities, not the stored scope: an admin key counts as admin only while its
        // principal is a metastore admin (ApiKeyAuthentication.authenticated).
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String needed = ApiKeyAuthentication.authority(scope);
        boolean covered = authentication instanceof ApiKeyAuthentication key
                && key.apiKey() != null
                && key.getAuthorities().stream().anyMatch(a -> needed.equals(a.getAuthority()));
        if (!covered) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN, what + " needs an API key with scope '" + scope.wireName() + "'.");
        }
    }
}
