package io.deltaplane.support.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API-key security settings ({@code deltaplane.security.*}).
 *
 * @param adminApiKey the bootstrap admin key ({@code DELTAPLANE_ADMIN_API_KEY}); empty for none
 * @param openPaths path patterns reachable without a key: health probes, API documents, Swagger UI
 * @param failedAuthentications how many failed authentications an address, or a credential, may
 *     make per window
 * @param trustedProxies proxies (addresses or CIDR ranges) whose {@code X-Forwarded-For} names the
 *     client's address; empty: the connection's peer is the client
 */
@ConfigurationProperties("deltaplane.security")
public record SecurityProperties(
        @DefaultValue("") String adminApiKey,

        @DefaultValue({
            "/actuator/health",
            "/actuator/health/**",
            "/v3/api-docs",
            "/v3/api-docs/**",
            "/swagger-ui.html",
            "/swagger-ui/**"
        })
        List<String> openPaths,

        @DefaultValue FailedAuthentications failedAuthentications,

        @DefaultValue({}) List<String> trustedProxies) {

    public SecurityProperties {
        openPaths = List.copyOf(openPaths);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * @param limit failures an address or a credential may make in one window before further
     *     failures are answered 429
     * @param window how long a window lasts (the lockout ends with it)
     * @param maxAddresses addresses remembered at most (least recently seen forgotten first)
     */
    public record FailedAuthentications(
            @DefaultValue("20") int limit,
            @DefaultValue("1m") Duration window,
            @DefaultValue("10000") int maxAddresses) {}

    @Override
    public String toString() {
        // Never print the admin key, even when the properties are logged.
        return "SecurityProperties[adminApiKey=" + (adminApiKey.isEmpty() ? "<unset>" : "<redacted>") + ", openPaths="
                + openPaths + "]";
    }
}
