package io.deltaplane.support.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * API-key security settings ({@code deltaplane.security.*}).
 *
 * @param adminApiKey the bootstrap admin key ({@code DELTAPLANE_ADMIN_API_KEY}); empty for none
 * @param openPaths paths (Ant patterns) reachable without a key: health probes and API docs only
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
        List<String> openPaths) {

    public SecurityProperties {
        openPaths = List.copyOf(openPaths);
    }

    @Override
    public String toString() {
        // Never print the admin key, even when the properties are logged.
        return "SecurityProperties[adminApiKey=" + (adminApiKey.isEmpty() ? "<unset>" : "<redacted>") + ", openPaths="
                + openPaths + "]";
    }
}
