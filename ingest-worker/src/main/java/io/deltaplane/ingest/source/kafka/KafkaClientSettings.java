package io.deltaplane.ingest.source.kafka;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.support.secrets.Secrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer properties for a Kafka-protocol mapping: plain Kafka, or Azure Event Hubs' Kafka endpoint
 * ({@code connection_string_env}: SASL_SSL, PLAIN, user {@code $ConnectionString}, port 9093).
 * Secrets are read from the environment here, at use time; Kafka logs {@code sasl.jaas.config} as
 * {@code [hidden]}.
 */
public final class KafkaClientSettings {

    private static final Pattern EVENTHUBS_ENDPOINT =
            Pattern.compile("Endpoint=sb://([^/;]+)/?;?", Pattern.CASE_INSENSITIVE);
    static final int MAX_POLL_RECORDS = 50_000;

    private final String defaultBootstrap;
    private final Secrets secrets;

    private final EgressPolicy egress;
    /** Kafka's default (45 s) when null. */
    private final Duration sessionTimeout;

    /** Only the default bootstrap is allowed as a destination (tests, benchmarks). */
    public KafkaClientSettings(String defaultBootstrap, Secrets secrets) {
        this(defaultBootstrap, secrets, new EgressPolicy(List.of(), defaultBootstrap, List.of()), null);
    }

    /**
     * @param sessionTimeout how long the group waits for a consumer that stopped answering before it
     *     reassigns that consumer's partitions; null for Kafka's default
     */
    public KafkaClientSettings(String defaultBootstrap, Secrets secrets, EgressPolicy egress, Duration sessionTimeout) {
        this.egress = requireNonNull(egress, "egress");
        this.defaultBootstrap = requireNonNull(defaultBootstrap, "defaultBootstrap");
        this.secrets = requireNonNull(secrets, "secrets");
        this.sessionTimeout = sessionTimeout;
    }

    public Map<String, Object> consumer(MappingSpec mapping) {
        SourceSpec source = mapping.source();
        Map<String, Object> props = connection(source);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, source.consumerGroup());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "deltaplane-ingest-" + mapping.name());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Positions come from the DuckDB control table; Kafka's committed offsets are for lag only.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, source.startFromLatest() ? "latest" : "earliest");
        // Never ingest records of aborted producer transactions.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(mapping.batch().rows(), MAX_POLL_RECORDS));
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 * 1024 * 1024);
        if (sessionTimeout != null) {
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
            // Kafka's 3 s, or a third of a shorter session, as Kafka advises.
            props.put(
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.min(3_000, sessionTimeout.toMillis() / 3));
        }
        return props;
    }

    /**
     * Bootstrap and security settings (also used by the validate endpoint's admin client). The
     * destination is checked against the egress policy and credentials are refused over plaintext
     * before any client exists.
     */
    public Map<String, Object> connection(SourceSpec source) {
        Map<String, Object> props = new HashMap<>();
        String bootstrap = source.bootstrapServers();
        if (source.connectionStringEnv() != null) {
            String connectionString = secrets.require(source.connectionStringEnv());
            if (bootstrap == null) {
                bootstrap = eventHubsBootstrap(connectionString);
            }
            egress.require(bootstrap);
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            props.put(
                    SaslConfigs.SASL_JAAS_CONFIG,
                    jaas("plain.PlainLoginModule", "$ConnectionString", connectionString));
        } else if (source.sasl() != null) {
            String servers = bootstrap == null ? defaultBootstrap : bootstrap;
            egress.require(servers);
            String protocol = source.securityProtocol() == null ? "SASL_SSL" : source.securityProtocol();
            if (!protocol.equals("SASL_SSL") && !egress.plaintextCredentialsAllowed(servers)) {
                throw new IllegalStateException("Credentials are only sent over TLS (SASL_SSL): " + servers
                        + " is not in deltaplane.ingest.policy.plaintext-credential-hosts");
            }
            String module =
                    "PLAIN".equals(source.sasl().mechanism()) ? "plain.PlainLoginModule" : "scram.ScramLoginModule";
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
            props.put(SaslConfigs.SASL_MECHANISM, source.sasl().mechanism());
            props.put(
                    SaslConfigs.SASL_JAAS_CONFIG,
                    jaas(
                            module,
                            secrets.require(source.sasl().usernameEnv()),
                            secrets.require(source.sasl().passwordEnv())));
        } else if (source.securityProtocol() != null) {
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, source.securityProtocol());
        }
        String servers = bootstrap == null ? defaultBootstrap : bootstrap;
        // Checked before any client exists: a mapping cannot make the worker connect elsewhere.
        egress.require(servers);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, servers);
        return props;
    }

    /** {@code text} without any secret value this worker has read. */
    public String redact(String text) {
        return secrets.redact(text);
    }

    /** {@code Endpoint=sb://ns.servicebus.windows.net/;…} → {@code ns.servicebus.windows.net:9093}. */
    public static String eventHubsBootstrap(String connectionString) {
        Matcher m = EVENTHUBS_ENDPOINT.matcher(connectionString);
        if (!m.find()) {
            throw new IllegalStateException("The Event Hubs connection string has no Endpoint=sb://<namespace>/ part");
        }
        return m.group(1) + ":9093";
    }

    private static String jaas(String module, String user, String password) {
        return "org.apache.kafka.common.security." + module + " required username=\"" + escape(user) + "\" password=\""
                + escape(password) + "\";";
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
