package io.deltaplane.support.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An API key as Spring Security sees it: before authentication the key the caller presented,
 * after it the stored {@link ApiKey} with one authority per scope it covers ({@code SCOPE_read},
 * {@code SCOPE_write}, {@code SCOPE_admin}: an admin key of a metastore admin holds all three).
 */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String presented;
    private final ApiKey key;

    private ApiKeyAuthentication(String presented, ApiKey key, List<GrantedAuthority> authorities) {
        super(authorities);
        this.presented = presented;
        this.key = key;
        setAuthenticated(key != null);
    }

    /** What the converter read from the request, not yet checked. */
    public static ApiKeyAuthentication presented(String key) {
        return new ApiKeyAuthentication(key, null, List.of());
    }

    /**
     * A key the store knows and holds active. Its admin scope counts only while its principal is a
     * metastore admin: otherwise the key is a read-write key, and grants decide the rest.
     */
    public static ApiKeyAuthentication authenticated(ApiKey key, boolean metastoreAdmin) {
        Scope effective = key.effectiveScope(metastoreAdmin);
        List<GrantedAuthority> authorities = java.util.Arrays.stream(Scope.values())
                .filter(effective::covers)
                .map(scope -> (GrantedAuthority) new SimpleGrantedAuthority(authority(scope)))
                .toList();
        return new ApiKeyAuthentication(null, key, authorities);
    }

    /** The authority a request needs for {@code scope}. */
    public static String authority(Scope scope) {
        return "SCOPE_" + scope.wireName();
    }

    /** The presented key; never logged, cleared once checked. */
    @Override
    public Object getCredentials() {
        return presented;
    }

    /** The stored key (after authentication), or null. */
    @Override
    public Object getPrincipal() {
        return key;
    }

    public ApiKey apiKey() {
        return key;
    }

    @Override
    public String getName() {
        return key == null ? "" : key.id();
    }

    @Override
    public String toString() {
        return "ApiKeyAuthentication["
                + (key == null ? "unchecked" : key.id() + ", " + key.scope().wireName()) + "]";
    }
}
