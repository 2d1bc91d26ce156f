package io.deltaplane.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which issuer the console signs in with, and that it can only be one the platform trusts. */
class ConsoleSignInPropertiesTest {

    static final List<String> TRUSTED =
            List.of("https://login.microsoftonline.com/tenant-1/v2.0", "https://idp.example.org:8443/realms/data");

    @Test
    void offWithoutAClientId() {
        assertThat(new ConsoleSignInProperties("", "", "openid").resolve(TRUSTED))
                .isNull();
    }

    @Test
    void theFirstTrustedIssuerUnlessOneIsNamed() {
        var first = new ConsoleSignInProperties("console", "", "openid").resolve(TRUSTED);
        assertThat(first.issuer()).isEqualTo(TRUSTED.get(0));
        assertThat(first.origin()).isEqualTo("https://login.microsoftonline.com");
        var named = new ConsoleSignInProperties("console", TRUSTED.get(1), "openid").resolve(TRUSTED);
        assertThat(named.origin()).isEqualTo("https://idp.example.org:8443");
        assertThat(named.clientId()).isEqualTo("console");
    }

    @Test
    void anIssuerThePlatformDoesNotTrustIsRefusedAtStart() {
        assertThatThrownBy(() ->
                        new ConsoleSignInProperties("console", "https://evil.example.com", "openid").resolve(TRUSTED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not among DELTAPLANE_OIDC_ISSUERS");
        assertThatThrownBy(() -> new ConsoleSignInProperties("console", "", "openid").resolve(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no issuer");
    }
}
