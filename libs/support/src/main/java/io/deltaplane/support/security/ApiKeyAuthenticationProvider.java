package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Checks a presented API key against the stored hashes ({@link ApiKeyStore}: constant-time, cached). */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeyStore store;
    private final AccessControl access;

    public ApiKeyAuthenticationProvider(ApiKeyStore store, AccessControl access) {
        this.store = requireNonNull(store, "store");
        this.access = requireNonNull(access, "access");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = (String) authentication.getCredentials();
        return store.authenticate(presented)
                .map(key -> ApiKeyAuthentication.authenticated(
                        key, key.scope() == Scope.ADMIN && access.isMetastoreAdmin(key.principal())))
                .orElseThrow(() -> new BadCredentialsException("The API key is unknown or revoked."));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
