package io.deltaplane.support.security;

import io.deltaplane.support.access.CurrentPrincipal;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Where a request carries its credential: an API key as {@code Authorization: Bearer <key>} or
 * {@code X-API-Key}, or — while single sign-on is on — an OIDC access token (a JWT) as {@code
 * Authorization: Bearer <jwt>}; and, once authenticated, which {@link Credential} it was (for
 * grants, rate limits, idempotency, the audit trail and logs).
 */
public final class ApiKeyRequests implements AuthenticationConverter {

    /** Request attribute holding the authenticated {@link ApiKey} (absent for a single sign-on token). */
    public static final String API_KEY_ATTRIBUTE = ApiKey.class.getName();

    /** Request attribute holding the authenticated {@link Credential}, of either kind. */
    public static final String CREDENTIAL_ATTRIBUTE = Credential.class.getName();

    public static final String API_KEY_HEADER = "X-API-Key";

    /** The {@link CurrentPrincipal} of every service: the principal and token groups of the request's credential. */
    public static final CurrentPrincipal CURRENT_PRINCIPAL = new CurrentPrincipal() {
        @Override
        public Optional<String> name() {
            return currentPrincipal();
        }

        @Override
        public Set<String> claimedGroups() {
            return currentCredential()
                    .filter(OidcCredential.class::isInstance)
                    .map(c -> ((OidcCredential) c).groups())
                    .orElse(Set.of());
        }
    };

    private static final String BEARER = "Bearer ";

    private final Predicate<String> isToken;

    /** API keys only. */
    public ApiKeyRequests() {
        this(bearer -> false);
    }

    /** @param isToken which bearer values are single sign-on tokens ({@link OidcTokens#accepts}) */
    public ApiKeyRequests(Predicate<String> isToken) {
        this.isToken = isToken;
    }

    @Override
    public Authentication convert(HttpServletRequest request) {
        Optional<String> bearer = bearer(request);
        if (bearer.isPresent() && isToken.test(bearer.get())) {
            return OidcAuthentication.presented(bearer.get());
        }
        return presentedKey(request).map(ApiKeyAuthentication::presented).orElse(null);
    }

    /** The credential the request presents (a key or a token), not yet checked: what failures are counted by. */
    static Optional<String> presentedKey(HttpServletRequest request) {
        Optional<String> bearer = bearer(request);
        if (bearer.isPresent()) {
            return bearer;
        }
        String header = request.getHeader(API_KEY_HEADER);
        return header == null || header.isBlank() ? Optional.empty() : Optional.of(header.trim());
    }

    private static Optional<String> bearer(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).trim();
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The authenticated key of the current request, if it came with one (not for a single sign-on token). */
    public static Optional<ApiKey> current(HttpServletRequest request) {
        return request.getAttribute(API_KEY_ATTRIBUTE) instanceof ApiKey key ? Optional.of(key) : Optional.empty();
    }

    /** The authenticated credential of the current request, of either kind. */
    public static Optional<Credential> credential(HttpServletRequest request) {
        return request.getAttribute(CREDENTIAL_ATTRIBUTE) instanceof Credential credential
                ? Optional.of(credential)
                : Optional.empty();
    }

    /** The authenticated credential of the current thread's request, of either kind. */
    public static Optional<Credential> currentCredential() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null
                        && authentication.isAuthenticated()
                        && authentication.getPrincipal() instanceof Credential credential
                ? Optional.of(credential)
                : Optional.empty();
    }

    /** The principal the current request's credential acts for (the {@link CurrentPrincipal} of every service). */
    public static Optional<String> currentPrincipal() {
        return currentCredential().map(Credential::principal);
    }

    /**
     * The most the current request's credential may do: an API key's effective scope, or a single
     * sign-on caller's (admin for a metastore admin, else write); grants decide the rest.
     */
    public static Optional<Scope> currentScope() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (currentCredential().isEmpty()) {
            return Optional.empty();
        }
        Scope most = null;
        for (Scope scope : Scope.values()) {
            String needed = ApiKeyAuthentication.authority(scope);
            if (authentication.getAuthorities().stream().anyMatch(a -> needed.equals(a.getAuthority()))) {
                most = scope;
            }
        }
        return Optional.ofNullable(most);
    }

    /**
     * Throws 403 unless the current request's credential covers {@code scope}: for decisions that
     * depend on a bound parameter (purging files), made inside the handler on the value it will act on.
     */
    public static void require(Scope scope, String what) {
        // The authorities, not the stored scope: an admin key counts as admin only while its
        // principal is a metastore admin (ApiKeyAuthentication.authenticated), and so does a token.
        boolean covered = currentScope().map(held -> held.covers(scope)).orElse(false);
        if (!covered) {
            boolean token =
                    currentCredential().filter(OidcCredential.class::isInstance).isPresent();
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    token
                            ? what + " needs scope '" + scope.wireName() + "', which this caller does not have."
                            : what + " needs an API key with scope '" + scope.wireName() + "'.");
        }
    }
}
