package io.deltaplane.support.audit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audit settings ({@code deltaplane.audit.*}).
 *
 * @param enabled whether requests are audited (off only for benchmarks comparing the cost)
 * @param retention how long audit rows are kept (older ones are dropped and the chain re-anchored)
 * @param chainInterval how often new rows are chained
 * @param credentialPaths GET paths that issue credentials or signed URLs, audited like changes (as is
 *     a request its handler marks {@link AuditFilter#CREDENTIALS_ISSUED})
 */
@ConfigurationProperties("deltaplane.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("365d") Duration retention,
        @DefaultValue("1s") Duration chainInterval,

        @DefaultValue({
            "/api/v1/tables/*/snapshot/signed-files",
            "/api/2.1/unity-catalog/temporary-*-credentials",
            "/api/2.1/unity-catalog/delta/v1/catalogs/*/schemas/*/tables/*/credentials",
            "/api/2.1/unity-catalog/iceberg/v1/catalogs/*/namespaces/*/tables/*/credentials"
        })
        List<String> credentialPaths) {

    public AuditProperties {
        credentialPaths = List.copyOf(credentialPaths);
    }
}
