package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.http.UnityCatalogErrors;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * OAuth 2's client-credentials grant (RFC 6749 §4.4) for an API key, for clients that know no
 * other way to authenticate (Iceberg's REST clients with a {@code credential}, PyIceberg): the
 * client secret is the key, the client id (optional) the key's id. The access token answered is
 * the key itself, with no expiry: nothing new is made or stored, and revoking the key ends every
 * session that exchanged it. A failed exchange counts as a failed authentication ({@link
 * AuthenticationThrottle}, so the endpoint is no faster a way to guess keys than any other) and is
 * answered in OAuth's error shape (§5.2), which these clients read.
 *
 * <p>The endpoint is open in the security chain (the key is in the body, not a header); an exchange
 * names its key's credential on the request, so the audit trail records who exchanged which key.
 */
public final class ClientCredentialsGrant {

    /** Where Iceberg clients ask for a token: {@code <uri>/v1/oauth/tokens}. */
    public static final String ICEBERG_TOKENS = UnityCatalogErrors.ICEBERG + "/v1/oauth/tokens";

    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final String BASIC = "Basic ";

    private final ApiKeyStore keys;
    private final AuthenticationThrottle failures;

    public ClientCredentialsGrant(ApiKeyStore keys, AuthenticationThrottle failures) {
        this.keys = requireNonNull(keys, "keys");
        this.failures = requireNonNull(failures, "failures");
    }

    /**
     * The token answer for a token request's form fields (or, for {@code client_secret_basic},
     * its {@code Authorization: Basic} header).
     */
    public ResponseEntity<Map<String, Object>> exchange(
            HttpServletRequest request, String grantType, String clientId, String clientSecret) {
        Optional<String[]> basic = basic(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (basic.isPresent()) {
            if (clientSecret != null) {
                return refused(
                        HttpStatus.BAD_REQUEST,
                        "invalid_request",
                        "Send the client secret once: in the" + " form or in the Authorization header.");
            }
            clientId = basic.get()[0].isEmpty() ? null : basic.get()[0];
            clientSecret = basic.get()[1];
        }
        if (grantType == null || grantType.isBlank()) {
            return refused(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required.");
        }
        if (!CLIENT_CREDENTIALS.equals(grantType)) {
            return refused(
                    HttpStatus.BAD_REQUEST,
                    "unsupported_grant_type",
                    "Only grant_type=client_credentials is served: the client secret is a Deltaplane API key.");
        }
        if (clientSecret == null || clientSecret.isEmpty()) {
            return refused(HttpStatus.BAD_REQUEST, "invalid_request", "client_secret (an API key) is required.");
        }
        Optional<Duration> blocked = failures.credentialBlocked(clientSecret);
        if (blocked.isPresent()) {
            return tooMany(blocked.get());
        }
        String id = clientId;
        Optional<ApiKey> key = keys.authenticate(clientSecret).filter(k -> id == null || id.equals(k.id()));
        if (key.isEmpty()) {
            Optional<Duration> wait = failures.failed(request, Optional.of(clientSecret));
            if (wait.isPresent()) {
                return tooMany(wait.get());
            }
            return refused(
                    HttpStatus.UNAUTHORIZED,
                    "invalid_client",
                    "The client secret is not an active API key, or the client id is not its id.");
        }
        // the audit trail's principal and credential for this request (AuditFilter), as if it had
        // presented the key as a bearer
        request.setAttribute(ApiKeyRequests.CREDENTIAL_ATTRIBUTE, key.get());
        request.setAttribute(ApiKeyRequests.API_KEY_ATTRIBUTE, key.get());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", clientSecret);
        body.put("token_type", "bearer");
        body.put("issued_token_type", ACCESS_TOKEN_TYPE);
        return ResponseEntity.ok().headers(noStore()).body(body);
    }

    private static Optional<String[]> basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        try {
            String decoded = new String(
                    Base64.getDecoder()
                            .decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            // RFC 6749 §2.3.1: both parts are form-encoded before they are joined
            return Optional.of(new String[] {
                java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            });
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<Map<String, Object>> tooMany(Duration wait) {
        HttpHeaders headers = noStore();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds())));
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .headers(headers)
                .body(error("slow_down", "Too many failed authentications; retry after " + wait.toSeconds() + " s."));
    }

    private static ResponseEntity<Map<String, Object>> refused(HttpStatus status, String error, String description) {
        return ResponseEntity.status(status).headers(noStore()).body(error(error, description));
    }

    private static Map<String, Object> error(String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }

    private static HttpHeaders noStore() {
        HttpHeaders headers = new HttpHeaders();
        headers.setCacheControl(CacheControl.noStore());
        headers.setPragma("no-cache");
        return headers;
    }
}
