package io.deltaplane.ingest.policy;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.support.problem.InvalidField;
import io.deltaplane.support.secrets.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * What a mapping may ask of the worker, checked when it is created or changed (422, nothing stored):
 * secrets only from the operator's allow-list, connections only to allowed hosts, credentials only
 * over TLS (unless the operator allows plaintext for a host), and no target inside the worker's own
 * control state. The worker checks destinations again when it connects.
 */
@Component
public class MappingPolicy {

    /** The schema and table prefix that hold the worker's own state in the warehouse. */
    static final String CONTROL_TABLE_PREFIX = "_deltaplane";

    private final Secrets secrets;
    private final EgressPolicy egress;
    private final Warehouse warehouse;

    public MappingPolicy(Secrets secrets, EgressPolicy egress, Warehouse warehouse) {
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.secrets = requireNonNull(secrets, "secrets");
        this.egress = requireNonNull(egress, "egress");
    }

    public void check(MappingSpec spec) {
        List<String> errors = new ArrayList<>();
        SourceSpec source = spec.source();
        secret("source.connection_string_env", source.connectionStringEnv(), errors);
        if (source.sasl() != null) {
            secret("source.sasl.username_env", source.sasl().usernameEnv(), errors);
            secret("source.sasl.password_env", source.sasl().passwordEnv(), errors);
        }
        if (source.bootstrapServers() != null) {
            List<String> denied = egress.denied(source.bootstrapServers());
            if (!denied.isEmpty()) {
                errors.add("source.bootstrap_servers: not an allowed host for ingest: " + String.join(", ", denied)
                        + " (the operator allows hosts with deltaplane.ingest.policy.allowed-hosts)");
            }
            boolean credentials = source.sasl() != null || source.connectionStringEnv() != null;
            if (credentials
                    && "SASL_PLAINTEXT".equals(source.securityProtocol())
                    && !egress.plaintextCredentialsAllowed(source.bootstrapServers())) {
                errors.add("source.security_protocol: credentials are only sent over TLS (SASL_SSL);"
                        + " plaintext needs the host in deltaplane.ingest.policy.plaintext-credential-hosts");
            }
        } else if (source.sasl() != null && "SASL_PLAINTEXT".equals(source.securityProtocol())) {
            errors.add("source.security_protocol: credentials are only sent over TLS (SASL_SSL)");
        }
        if (source.fullyQualifiedNamespace() != null
                && !egress.denied(source.fullyQualifiedNamespace()).isEmpty()) {
            errors.add("source.fully_qualified_namespace: not an allowed host for ingest: "
                    + source.fullyQualifiedNamespace());
        }
        if (spec.target() != null) {
            if (reserved(spec.target().schema()) || reserved(spec.target().table())) {
                errors.add("target: names starting with " + CONTROL_TABLE_PREFIX + " hold the worker's own state");
            }
            String database = spec.target().database();
            if (database != null && !warehouse.hasDatabase(database)) {
                // Accepted now, it would fail on every batch forever: say so while the author is here.
                errors.add("target.database: " + database + " is not attached to the warehouse " + warehouse.target()
                        + " (leave it out for the default database)");
            }
        }
        if (!errors.isEmpty()) {
            // 422 as documented for mappings: the body is well-formed, the mapping it describes is not.
            throw InvalidField.problem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    errors.stream().map(InvalidField::parse).toList());
        }
    }

    private void secret(String field, String reference, List<String> errors) {
        if (reference != null && !secrets.allowed(reference)) {
            errors.add(field + ": " + reference + " is not an allowed secret reference; mappings may name "
                    + secrets.rule());
        }
    }

    private static boolean reserved(String name) {
        return name != null && name.toLowerCase(Locale.ROOT).startsWith(CONTROL_TABLE_PREFIX);
    }
}
