package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Checks a presented API key against the stored hashes ({@link ApiKeyStore}: constant-time, cached). */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeyStore store;

    public ApiKeyAuthenticationProvider(ApiKeyStore store) {
        this.store = requireNonNull(store, "store");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = (String) authentication.getCredentials();
        return store.authenticate(presented)
                .map(ApiKeyAuthentication::authenticated)
                .orElseThrow(() -> new BadCredentialsException("The API key is unknown or revoked."));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthentication.class.isAssignableFrom(authentication);
    }
}
