package io.deltaplane.metadata.iceberg;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.security.ClientCredentialsGrant;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/oauth/tokens}: Iceberg clients configured with a {@code credential} (client id
 * and secret) exchange it here for the bearer token they send afterwards. The secret is a
 * Deltaplane API key; {@link ClientCredentialsGrant} checks it and answers in OAuth's shapes.
 *
 * <p>Kept out of the OpenAPI document: it is OAuth's protocol for Iceberg's own clients
 * (docs/iceberg.md), not a route of the platform's clients, whose generator cannot build a
 * form-encoded call without Apache HttpClient.
 */
@Hidden
@RestController
public class IcebergTokensController {

    private final ClientCredentialsGrant grant;

    public IcebergTokensController(ClientCredentialsGrant grant) {
        this.grant = requireNonNull(grant, "grant");
    }

    @PostMapping(
            value = ClientCredentialsGrant.ICEBERG_TOKENS,
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> token(
            HttpServletRequest request,
            @RequestParam(name = "grant_type", required = false) String grantType,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "client_secret", required = false) String clientSecret) {
        return grant.exchange(request, grantType, clientId, clientSecret);
    }
}
