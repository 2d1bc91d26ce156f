package io.deltaplane.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * A real OpenID Connect provider in the test JVM (NAV's mock-oauth2-server on a random local port:
 * discovery document, JWKS, RS256-signed tokens), and the tokens single sign-on's tests present:
 * valid ones for any subject and claims, and ones that must be refused (for another audience,
 * tampered with, unsigned, signed with a key not the provider's).
 */
public final class OidcProvider implements AutoCloseable {

    /** The audience the tests configure ({@code DELTAPLANE_OIDC_AUDIENCE}). */
    public static final String AUDIENCE = "deltaplane";

    private static final String ISSUER_ID = "idp";

    private final MockOAuth2Server server;

    private OidcProvider() {
        this.server = new MockOAuth2Server();
        server.start();
        warmUp();
    }

    /**
     * Serves the discovery document and the key set once before any app asks: the provider's first
     * answers load its classes and make its keys, which on a loaded two-core machine took longer than
     * the platform's 5 s provider timeout, so a test's first token was answered 503.
     */
    private void warmUp() {
        token("warm-up", Map.of());
        HttpClient http = HttpClient.newHttpClient();
        try {
            for (String path : List.of("/.well-known/openid-configuration", "/jwks")) {
                HttpResponse<String> answer = http.send(
                        HttpRequest.newBuilder(URI.create(issuer() + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(
                            "The OIDC provider answered " + answer.statusCode() + " to " + path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static OidcProvider start() {
        return new OidcProvider();
    }

    /** The issuer URL, as the tokens' {@code iss} claim spells it. */
    public String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /**
     * The next sign-in through the provider's own pages (the authorization code flow, as the console
     * does it) is {@code subject} with {@code claims}, its token for the platform's audience.
     */
    public void nextSignIn(String subject, Map<String, Object> claims) {
        server.enqueueCallback(
                new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(AUDIENCE), claims, 3600));
    }

    /** The settings that make an app trust this provider, with the tests' audience. */
    public Map<String, String> trustedBy() {
        return Map.of("deltaplane.security.oidc.issuers", issuer(), "deltaplane.security.oidc.audience", AUDIENCE);
    }

    /** A token for {@code subject} with {@code claims}, for the platform's audience, valid for an hour. */
    public String token(String subject, Map<String, Object> claims) {
        return token(subject, List.of(AUDIENCE), claims, 3600);
    }

    /** A signed token, issued now (an expired one: move the platform's clock past its expiry). */
    public String token(String subject, List<String> audience, Map<String, Object> claims, long expiresInSeconds) {
        return server.issueToken(
                        ISSUER_ID,
                        "deltaplane-tests",
                        new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, expiresInSeconds))
                .serialize();
    }

    /** {@code token} with one claim changed and the original signature kept (which no longer matches). */
    public static String tampered(String token, String claim, Object value) {
        try {
            SignedJWT signed = SignedJWT.parse(token);
            JWTClaimsSet changed = new JWTClaimsSet.Builder(signed.getJWTClaimsSet())
                    .claim(claim, value)
                    .build();
            String payload = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(changed.toString().getBytes(StandardCharsets.UTF_8));
            String[] parts = token.split("\\.");
            return parts[0] + "." + payload + "." + parts[2];
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code token}'s claims with {@code alg: none} and no signature. */
    public static String unsigned(String token) {
        try {
            return new PlainJWT(SignedJWT.parse(token).getJWTClaimsSet()).serialize();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code token}'s claims signed with HS256 and a secret of the caller's choosing (no key of the provider's). */
    public static String hmacSigned(String token, byte[] secret) {
        try {
            SignedJWT forged = new SignedJWT(
                    new JWSHeader(JWSAlgorithm.HS256), SignedJWT.parse(token).getJWTClaimsSet());
            forged.sign(new MACSigner(secret));
            return forged.serialize();
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
