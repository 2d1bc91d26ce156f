package io.deltaplane.ingest.source.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SaslSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.support.secrets.Secrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Consumer settings for plain Kafka, SASL and the Event Hubs Kafka endpoint; secrets from the environment. */
class KafkaClientSettingsTest {

    static final String CONNECTION =
            "Endpoint=sb://telemetry-ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=s3cr\"et";
    final Secrets secrets =
            Secrets.of(Map.of("EVENTHUBS_CONN", CONNECTION, "KAFKA_USER", "svc", "KAFKA_PASSWORD", "pw")::get);
    final KafkaClientSettings settings = new KafkaClientSettings(
            "localhost:9092",
            secrets,
            new EgressPolicy(
                    List.of("*.servicebus.windows.net:9093", "other:9093", "b1:9092", "b2:9092"),
                    "localhost:9092",
                    List.of("b1", "b2")),
            Duration.ofSeconds(10));

    static SourceSpec source(String bootstrap, String protocol, SaslSpec sasl, String connectionEnv) {
        return new SourceSpec(
                "kafka", "t", null, "g", bootstrap, protocol, sasl, connectionEnv, null, null, "earliest");
    }

    @Test
    void plainKafkaUsesTheDefaultBootstrapAndReadsCommittedOnly() {
        MappingSpec mapping = io.deltaplane.ingest.TestMappings.kafka("plain", "t", "x", 500, 100);
        Map<String, Object> props = settings.consumer(mapping);
        assertThat(props)
                .containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("max.poll.records", 500)
                .containsEntry("group.id", "deltaplane-ingest-plain")
                .doesNotContainKey("security.protocol");
    }

    @Test
    void theOperatorsSessionTimeoutWithAHeartbeatOfAThirdAtMostThreeSeconds() {
        MappingSpec mapping = io.deltaplane.ingest.TestMappings.kafka("plain", "t", "x", 500, 100);
        assertThat(settings.consumer(mapping))
                .containsEntry("session.timeout.ms", 10_000)
                .containsEntry("heartbeat.interval.ms", 3_000);
        KafkaClientSettings shortSession = new KafkaClientSettings(
                "localhost:9092",
                secrets,
                new EgressPolicy(List.of(), "localhost:9092", List.of()),
                Duration.ofSeconds(6));
        assertThat(shortSession.consumer(mapping))
                .containsEntry("session.timeout.ms", 6_000)
                .containsEntry("heartbeat.interval.ms", 2_000);
        assertThat(new KafkaClientSettings("localhost:9092", secrets).consumer(mapping))
                .as("Kafka's own defaults")
                .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms");
    }

    @Test
    void eventHubsKafkaEndpointUsesSaslSslPlainWithTheConnectionString() {
        Map<String, Object> props = settings.connection(source(null, null, null, "EVENTHUBS_CONN"));
        assertThat(props)
                .containsEntry("bootstrap.servers", "telemetry-ns.servicebus.windows.net:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
        assertThat((String) props.get("sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"$ConnectionString\" password=\""
                        + CONNECTION.replace("\"", "\\\"") + "\";");
        assertThat(settings.connection(source("other:9093", null, null, "EVENTHUBS_CONN")))
                .containsEntry("bootstrap.servers", "other:9093");
    }

    @Test
    void noClientIsConfiguredForAHostTheOperatorDidNotAllowNorCredentialsInClear() {
        assertThatThrownBy(() -> settings.connection(source("169.254.169.254:80", null, null, null)))
                .isInstanceOf(EgressPolicy.EgressDeniedException.class);
        assertThatThrownBy(() -> settings.connection(source(
                        "other:9093", "SASL_PLAINTEXT", new SaslSpec("PLAIN", "KAFKA_USER", "KAFKA_PASSWORD"), null)))
                .hasMessageContaining("only sent over TLS")
                .hasMessageNotContaining("pw");
    }

    @Test
    void saslCredentialsComeFromTheNamedVariables() {
        Map<String, Object> props = settings.connection(source(
                "b1:9092,b2:9092",
                "SASL_PLAINTEXT",
                new SaslSpec("SCRAM-SHA-512", "KAFKA_USER", "KAFKA_PASSWORD"),
                null));
        assertThat(props)
                .containsEntry("bootstrap.servers", "b1:9092,b2:9092")
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\" password=\"pw\";");
        assertThatThrownBy(() -> settings.connection(
                        source(null, null, new SaslSpec("PLAIN", "KAFKA_USER", "NOT_SET_ANYWHERE"), null)))
                .hasMessage("Secret NOT_SET_ANYWHERE is not set in this service");
    }
}
