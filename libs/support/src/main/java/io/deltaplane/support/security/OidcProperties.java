package io.deltaplane.support.security;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on settings ({@code deltaplane.security.oidc.*}): which OpenID Connect providers'
 * access tokens the platform accepts as {@code Authorization: Bearer <jwt>}, besides API keys.
 *
 * @param issuers issuer URLs, exactly as the tokens' {@code iss} claim spells them ({@code
 *     DELTAPLANE_OIDC_ISSUERS}, comma-separated); empty: single sign-on is off
 * @param audience the audience ({@code aud}) every token must name ({@code DELTAPLANE_OIDC_AUDIENCE});
 *     empty: not checked
 * @param principalClaim the claim naming the principal a token acts for ({@code
 *     DELTAPLANE_OIDC_PRINCIPAL_CLAIM}); a token without it acts for its {@code sub}
 * @param groupsClaim the claim listing the caller's groups ({@code DELTAPLANE_OIDC_GROUPS_CLAIM})
 * @param createPrincipals whether a user principal is created, with no grants, the first time a
 *     token names one the platform does not know ({@code DELTAPLANE_OIDC_CREATE_PRINCIPALS}); if
 *     not, such tokens are refused
 */
@ConfigurationProperties("deltaplane.security.oidc")
public record OidcProperties(
        @DefaultValue({}) List<String> issuers,
        @DefaultValue("") String audience,
        @DefaultValue("email") String principalClaim,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue("true") boolean createPrincipals) {

    public OidcProperties {
        issuers = issuers.stream().map(String::trim).filter(i -> !i.isEmpty()).toList();
        for (String issuer : issuers) {
            URI uri;
            try {
                uri = URI.create(issuer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("DELTAPLANE_OIDC_ISSUERS: '" + issuer + "' is not a URL", e);
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(
                        "DELTAPLANE_OIDC_ISSUERS: '" + issuer + "' is not an http(s) issuer URL");
            }
        }
        audience = audience == null ? "" : audience.trim();
        principalClaim = principalClaim == null || principalClaim.isBlank() ? "email" : principalClaim.trim();
        groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim.trim();
    }

    /** Whether single sign-on is on (at least one issuer). */
    public boolean enabled() {
        return !issuers.isEmpty();
    }
}
