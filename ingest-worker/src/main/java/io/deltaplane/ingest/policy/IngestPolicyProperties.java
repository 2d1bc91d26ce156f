package io.deltaplane.ingest.policy;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the operator allows mappings to use ({@code deltaplane.ingest.policy.*}): mappings are
 * written by anyone with a write key, so the secrets they may name and the hosts they may make the
 * worker connect to are the operator's decision, not theirs.
 *
 * @param secretPrefix environment variables a mapping may name start with this (never empty, so the
 *     worker's own variables — database password, admin key, MotherDuck token — are never readable)
 * @param secretsDir a directory of secret files (one value per file, as Kubernetes mounts a Secret);
 *     a mapping may name any file directly in it; empty for none
 * @param allowedHosts {@code host:port}, {@code host} (any port) or {@code *.domain[:port]} patterns
 *     that Kafka bootstrap servers and Event Hubs namespaces must match
 * @param plaintextCredentialHosts hosts to which credentials may travel unencrypted (SASL_PLAINTEXT);
 *     empty by default: credentials only go over TLS
 */
@ConfigurationProperties("deltaplane.ingest.policy")
public record IngestPolicyProperties(
        @DefaultValue("DELTAPLANE_SECRET_") String secretPrefix,
        @DefaultValue("") String secretsDir,
        @DefaultValue({"localhost:9092", "127.0.0.1:9092"}) List<String> allowedHosts,
        @DefaultValue({}) List<String> plaintextCredentialHosts) {

    public IngestPolicyProperties {
        if (secretPrefix == null || secretPrefix.isBlank()) {
            throw new IllegalArgumentException("deltaplane.ingest.policy.secret-prefix must not be empty: every"
                    + " variable of the worker would be readable by mappings");
        }
        allowedHosts = List.copyOf(allowedHosts);
        plaintextCredentialHosts = List.copyOf(plaintextCredentialHosts);
    }
}
