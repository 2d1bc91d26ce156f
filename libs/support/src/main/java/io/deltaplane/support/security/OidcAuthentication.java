package io.deltaplane.support.security;

import java.util.Arrays;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A single sign-on access token as Spring Security sees it: before authentication the bearer value
 * the caller presented, after it the {@link OidcCredential} with the authorities of the scope its
 * principal may have ({@code SCOPE_read}, {@code SCOPE_write}, and {@code SCOPE_admin} for a
 * metastore admin), exactly as an API key's.
 */
public final class OidcAuthentication extends AbstractAuthenticationToken {

    private final String token;
    private final OidcCredential credential;
    private final Scope scope;

    private OidcAuthentication(
            String token, OidcCredential credential, Scope scope, List<GrantedAuthority> authorities) {
        super(authorities);
        this.token = token;
        this.credential = credential;
        this.scope = scope;
        setAuthenticated(credential != null);
    }

    /** What the converter read from the request, not yet checked. */
    public static OidcAuthentication presented(String token) {
        return new OidcAuthentication(token, null, null, List.of());
    }

    public static OidcAuthentication authenticated(OidcCredential credential, Scope scope) {
        List<GrantedAuthority> authorities = Arrays.stream(Scope.values())
                .filter(scope::covers)
                .map(s -> (GrantedAuthority) new SimpleGrantedAuthority(ApiKeyAuthentication.authority(s)))
                .toList();
        return new OidcAuthentication(null, credential, scope, authorities);
    }

    /** The presented token; never logged, not kept once checked. */
    @Override
    public Object getCredentials() {
        return token;
    }

    /** The verified credential (after authentication), or null. */
    @Override
    public Object getPrincipal() {
        return credential;
    }

    public OidcCredential credential() {
        return credential;
    }

    /** The most this caller may do (grants decide the rest); null before authentication. */
    public Scope scope() {
        return scope;
    }

    @Override
    public String getName() {
        return credential == null ? "" : credential.principal();
    }

    @Override
    public String toString() {
        return "OidcAuthentication["
                + (credential == null ? "unchecked" : credential.authentication() + ", " + scope.wireName()) + "]";
    }
}
