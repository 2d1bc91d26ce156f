package io.deltaplane.gateway.console;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on for the console ({@code deltaplane.console.oidc.*}): the public client the identity
 * provider registered for the console (authorization code with PKCE, no secret) and the issuer it
 * signs in with. Off while no client id is set; the console then asks for an API key only.
 *
 * @param clientId the console's client id at the provider ({@code DELTAPLANE_CONSOLE_OIDC_CLIENT_ID})
 * @param issuer the issuer it signs in with ({@code DELTAPLANE_CONSOLE_OIDC_ISSUER}); empty: the first of
 *     {@code DELTAPLANE_OIDC_ISSUERS}. Tokens are accepted only from those issuers either way.
 * @param scope what the console asks for ({@code DELTAPLANE_CONSOLE_OIDC_SCOPE}); with Entra ID, the
 *     platform's API scope, e.g. {@code openid api://<app id>/.default}
 */
@ConfigurationProperties("deltaplane.console.oidc")
public record ConsoleSignInProperties(
        @DefaultValue("") String clientId,
        @DefaultValue("") String issuer,
        @DefaultValue("openid profile email") String scope) {

    /** The console's sign-in settings, or null when single sign-on is off for it. */
    public ConsoleSignIn resolve(List<String> trustedIssuers) {
        if (clientId.isBlank()) {
            return null;
        }
        String chosen = issuer.isBlank()
                ? trustedIssuers.stream().filter(i -> !i.isBlank()).findFirst().orElse("")
                : issuer.strip();
        if (chosen.isBlank()) {
            throw new IllegalStateException("DELTAPLANE_CONSOLE_OIDC_CLIENT_ID is set but no issuer is"
                    + " (set DELTAPLANE_OIDC_ISSUERS, and DELTAPLANE_CONSOLE_OIDC_ISSUER to pick one of them)");
        }
        if (trustedIssuers.stream().map(String::strip).noneMatch(chosen::equals)) {
            throw new IllegalStateException("DELTAPLANE_CONSOLE_OIDC_ISSUER " + chosen
                    + " is not among DELTAPLANE_OIDC_ISSUERS: the platform would refuse its tokens");
        }
        URI uri = URI.create(chosen);
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        return new ConsoleSignIn(chosen, clientId.strip(), scope.strip(), origin);
    }

    /** What the console reads from {@code /console/sign-in.json}, and the origin its CSP must allow. */
    public record ConsoleSignIn(String issuer, String clientId, String scope, String origin) {}
}
