package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Principal;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.problem.ApiException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Checks a single sign-on access token ({@link OidcTokens}) and finds the principal it acts for:
 * the value of the principal claim ({@code email} by default; {@code sub} when the token has none),
 * a user or service principal here — created as a user, with no grants, the first time a token
 * names it, unless {@code DELTAPLANE_OIDC_CREATE_PRINCIPALS=false}. A group, or a built-in
 * principal ({@code admin}, {@code metastore_admins}, the legacy groups), is never one a token can
 * act as. The token's groups claim goes with the request; groups here of those names count for
 * grants. The caller may read and write (as far as grants allow), and is an admin while it is a
 * metastore admin — the scope an API key of the same principal could have at most.
 */
public final class OidcAuthenticationProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(OidcAuthenticationProvider.class);

    /** Names a token can never act as: the installation's own principals. */
    static final Set<String> BUILT_IN = Set.of(
            PrincipalStore.BOOTSTRAP_ADMIN,
            PrincipalStore.METASTORE_ADMINS,
            PrincipalStore.LEGACY_READERS,
            PrincipalStore.LEGACY_WRITERS);

    private final OidcTokens tokens;
    private final PrincipalStore principals;
    private final AccessControl access;

    public OidcAuthenticationProvider(OidcTokens tokens, PrincipalStore principals, AccessControl access) {
        this.tokens = requireNonNull(tokens, "tokens");
        this.principals = requireNonNull(principals, "principals");
        this.access = requireNonNull(access, "access");
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Jwt jwt = verified((String) authentication.getCredentials());
        OidcProperties properties = tokens.properties();
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new OidcTokenRefused("The access token has no subject (sub).");
        }
        String name = Optional.ofNullable(jwt.getClaims().get(properties.principalClaim()))
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .filter(value -> !value.isBlank())
                .orElse(subject);
        String principal = principalFor(name);
        Set<String> groups = groups(jwt.getClaims().get(properties.groupsClaim()));
        OidcCredential credential = new OidcCredential(jwt.getIssuer().toString(), subject, principal, groups);
        boolean admin = access.isMetastoreAdmin(access.caller(principal, groups));
        return OidcAuthentication.authenticated(credential, admin ? Scope.ADMIN : Scope.WRITE);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return OidcAuthentication.class.isAssignableFrom(authentication);
    }

    private Jwt verified(String token) {
        try {
            return tokens.decode(token);
        } catch (JwtValidationException e) {
            String reasons = e.getErrors().stream()
                    .map(OAuth2Error::getDescription)
                    .filter(d -> d != null && !d.isBlank())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("it did not validate");
            throw new OidcTokenRefused("The access token was refused: " + reasons + ".");
        } catch (BadJwtException e) {
            log.debug("Single sign-on: token refused: {}", e.getMessage());
            throw new OidcTokenRefused(
                    e.getMessage() != null && e.getMessage().startsWith("The access token")
                            ? e.getMessage()
                            : "The access token is malformed or its signature does not verify.");
        } catch (JwtException e) {
            // The provider (discovery, key set) could not be reached: not the caller's fault.
            log.warn("Single sign-on: {}", e.getMessage());
            throw new AuthenticationServiceException("The identity provider could not be reached; try again later.");
        }
    }

    /** The principal a token acts for, created on first sight when allowed; refused otherwise. */
    private String principalFor(String name) {
        try {
            PrincipalStore.name(name);
        } catch (ApiException e) {
            throw new OidcTokenRefused(
                    "The access token names principal '" + printable(name) + "', which is not a valid principal name.");
        }
        if (BUILT_IN.contains(name)) {
            throw new OidcTokenRefused("The access token names built-in principal '" + name + "'.");
        }
        Optional<Principal> found = principals.find(name);
        if (found.isEmpty()) {
            if (!tokens.properties().createPrincipals()) {
                throw new OidcTokenRefused("No principal '" + name
                        + "' exists; an admin creates it first (DELTAPLANE_OIDC_CREATE_PRINCIPALS is false).");
            }
            try {
                principals.create(name, PrincipalType.USER);
                log.info("Single sign-on: created user principal {} on first sight", name);
            } catch (ApiException e) {
                // Another request (or service) created it first.
            }
            found = principals.find(name);
        }
        if (found.isEmpty() || found.get().type() == PrincipalType.GROUP) {
            throw new OidcTokenRefused("The access token names '" + name + "', which is a group, not a user.");
        }
        return name;
    }

    /** The groups claim: a list of names (or one name); names that could not be principals are ignored. */
    static Set<String> groups(Object claim) {
        Collection<?> values = claim instanceof Collection<?> list ? list : claim == null ? Set.of() : Set.of(claim);
        Set<String> groups = new LinkedHashSet<>();
        for (Object value : values) {
            if (value instanceof String group) {
                try {
                    groups.add(PrincipalStore.name(group));
                } catch (ApiException e) {
                    // not a name a group here can have
                }
            }
        }
        return groups;
    }

    private static String printable(String name) {
        String shortened = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return shortened.replaceAll("[\\p{Cntrl}']", "?");
    }

    /** A token refused for what it is (401, counted as a failed authentication). */
    static final class OidcTokenRefused extends BadCredentialsException {
        OidcTokenRefused(String message) {
            super(message);
        }
    }
}
