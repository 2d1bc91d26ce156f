package io.deltaplane.gateway.console;

import io.deltaplane.gateway.console.ConsoleSignInProperties.ConsoleSignIn;
import io.deltaplane.support.security.OidcProperties;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /console/sign-in.json} (open, like the page): how the console may sign in — with an API
 * key always, and with the identity provider when {@code DELTAPLANE_CONSOLE_OIDC_CLIENT_ID} is set.
 * Nothing secret is in it: the console is a public client (PKCE, no client secret).
 */
@RestController
public class ConsoleSignInController {

    static final String PATH = ConsolePageController.PATH + "sign-in.json";

    private final ConsoleSignIn signIn;

    public ConsoleSignInController(ConsoleSignInProperties console, OidcProperties oidc) {
        // checked at start: a console pointed at an issuer the platform does not trust fails fast
        this.signIn = console.resolve(oidc.issuers());
    }

    /** The console's sign-in settings, null when single sign-on is off for it. */
    ConsoleSignIn signIn() {
        return signIn;
    }

    @GetMapping(PATH)
    public ResponseEntity<Map<String, Object>> signInOptions() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (signIn == null) {
            body.put("oidc", null);
        } else {
            body.put(
                    "oidc", Map.of("issuer", signIn.issuer(), "client_id", signIn.clientId(), "scope", signIn.scope()));
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(body);
    }
}
