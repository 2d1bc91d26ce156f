package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * Verifies single sign-on access tokens: one {@link JwtDecoder} per configured issuer, made the
 * first time a token of that issuer arrives (the issuer's discovery document names its key set;
 * keys are cached, and fetched again when a token names a key the cache has not seen) and then
 * kept. A token is given to the decoder of the issuer its (not yet verified) {@code iss} claim
 * names, and only if that issuer is configured: an unknown issuer's metadata is never fetched, so
 * a caller cannot make the platform request URLs of its choosing. Each decoder checks the
 * signature (asymmetric algorithms only; never {@code alg: none}), the issuer, the audience (when
 * one is configured) and the expiry and not-before times (with a minute of clock skew, against
 * the platform's {@link Clock}).
 *
 * <p>The decoders are what {@code JwtDecoders.fromIssuerLocation} builds ({@code
 * NimbusJwtDecoder.withIssuerLocation} with the issuer's validator), with two changes: timeouts on
 * every request to the provider, so a slow provider cannot hold request threads for long, and the
 * audience check.
 */
public final class OidcTokens {

    /** How far the token's times may be off the platform's clock. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** How long a failed discovery is answered from memory before the provider is asked again. */
    static final Duration RETRY_DISCOVERY_AFTER = Duration.ofSeconds(10);

    /** Connect and read timeout of discovery and key-set requests to a provider. */
    static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(5);

    private static final List<SignatureAlgorithm> ALGORITHMS = List.of(
            SignatureAlgorithm.RS256,
            SignatureAlgorithm.RS384,
            SignatureAlgorithm.RS512,
            SignatureAlgorithm.ES256,
            SignatureAlgorithm.ES384,
            SignatureAlgorithm.ES512,
            SignatureAlgorithm.PS256,
            SignatureAlgorithm.PS384,
            SignatureAlgorithm.PS512);

    private final OidcProperties properties;
    private final Set<String> issuers;
    private final Clock clock;
    private final RestOperations provider;
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
    /** Issuers whose discovery failed, and when to try them again. */
    private final Map<String, Instant> unreachableUntil = new ConcurrentHashMap<>();

    public OidcTokens(OidcProperties properties, Clock clock) {
        this.properties = requireNonNull(properties, "properties");
        this.issuers = Set.copyOf(properties.issuers());
        this.clock = requireNonNull(clock, "clock");
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(PROVIDER_TIMEOUT);
        requests.setReadTimeout(PROVIDER_TIMEOUT);
        this.provider = new RestTemplate(requests);
    }

    public OidcProperties properties() {
        return properties;
    }

    /** Whether single sign-on is on. */
    public boolean enabled() {
        return !issuers.isEmpty();
    }

    /**
     * Whether a bearer value goes to single sign-on rather than to the API keys: only while it is on,
     * and only a JWT (three dot-separated parts, the first a JOSE header). API keys never are one.
     */
    public boolean accepts(String bearer) {
        return enabled() && looksLikeJwt(bearer);
    }

    static boolean looksLikeJwt(String value) {
        int first = value.indexOf('.');
        int second = first < 0 ? -1 : value.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || value.indexOf('.', second + 1) >= 0) {
            return false;
        }
        try {
            JWTParser.parse(value);
            return true;
        } catch (ParseException e) {
            return false;
        }
    }

    /**
     * The verified token; {@link BadJwtException} when it is not valid here (unsigned, unknown issuer,
     * bad signature, expired, wrong audience), another {@link JwtException} when the issuer's keys
     * could not be fetched.
     */
    public Jwt decode(String token) {
        JWT parsed;
        String issuer;
        try {
            parsed = JWTParser.parse(token);
            issuer = parsed.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new BadJwtException("The access token is not a well-formed JWT.");
        }
        if (parsed instanceof PlainJWT) {
            throw new BadJwtException("The access token is not signed.");
        }
        if (issuer == null || !issuers.contains(issuer)) {
            throw new BadJwtException("The access token's issuer is not one this platform trusts.");
        }
        return decoderOf(issuer).decode(token);
    }

    private JwtDecoder decoderOf(String issuer) {
        JwtDecoder decoder = decoders.get(issuer);
        if (decoder == null) {
            Instant retryAt = unreachableUntil.get(issuer);
            if (retryAt != null && clock.instant().isBefore(retryAt)) {
                // An outage is not retried by every request: each would wait out the timeout.
                throw new JwtException(
                        "The identity provider " + issuer + " could not be reached; trying again from " + retryAt);
            }
            // Not computeIfAbsent: building may call the provider, which must not block other issuers.
            try {
                decoder = build(issuer);
            } catch (JwtException e) {
                unreachableUntil.put(issuer, clock.instant().plus(RETRY_DISCOVERY_AFTER));
                throw e;
            }
            unreachableUntil.remove(issuer);
            JwtDecoder raced = decoders.putIfAbsent(issuer, decoder);
            decoder = raced != null ? raced : decoder;
        }
        return decoder;
    }

    private NimbusJwtDecoder build(String issuer) {
        NimbusJwtDecoder decoder;
        try {
            decoder = NimbusJwtDecoder.withIssuerLocation(issuer)
                    .restOperations(provider)
                    .jwsAlgorithms(algorithms -> algorithms.addAll(ALGORITHMS))
                    // Providers type access tokens "JWT", "at+jwt" or their own: the claims decide.
                    .validateType(false)
                    .build();
        } catch (RuntimeException e) {
            // Discovery failed: nothing is cached, the next token tries again.
            throw new JwtException("The identity provider " + issuer + " could not be reached: " + e.getMessage(), e);
        }
        decoder.setJwtValidator(validator(issuer));
        return decoder;
    }

    private OAuth2TokenValidator<Jwt> validator(String issuer) {
        JwtTimestampValidator times = new JwtTimestampValidator(CLOCK_SKEW);
        times.setClock(clock);
        times.setAllowEmptyExpiryClaim(false); // a token that never expires is not accepted
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(times);
        validators.add(new JwtIssuerValidator(issuer));
        if (!properties.audience().isEmpty()) {
            validators.add(new JwtAudienceValidator(properties.audience()));
        }
        return new DelegatingOAuth2TokenValidator<>(validators);
    }
}
