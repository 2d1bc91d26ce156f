package io.deltaplane.e2e;

import io.deltaplane.testing.OidcProvider;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.SharedPerRun;
import java.util.HashMap;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The one platform every end-to-end suite of this module runs against: the four app jars the build
 * produced ({@link PlatformApps}: gateway, metadata, lineage, ingest), an embedded KRaft broker for
 * the ingest worker, and a real OpenID Connect provider every app trusts. Booting four JVMs is the
 * expensive part of an end-to-end test, so it happens once per test JVM: a test class asks for it
 * as a parameter ({@code @ExtendWith(EndToEndPlatform.Shared.class)}), the first ask starts it, and
 * JUnit closes it after the last class. The suites keep out of each other's way by naming what
 * they create (their own catalogs, jobs, topics and keys).
 */
final class EndToEndPlatform implements AutoCloseable {

    /**
     * Partitions of a topic added by name only ({@code addTopics(String...)}); the console's ingest
     * topic says its own, and a topic a producer makes appear gets the broker's default (one).
     */
    private static final int DEFAULT_PARTITIONS = 2;

    private final EmbeddedKafkaKraftBroker broker;
    private final OidcProvider oidc;
    private final PlatformApps apps;

    private EndToEndPlatform(EmbeddedKafkaKraftBroker broker, OidcProvider oidc, PlatformApps apps) {
        this.broker = broker;
        this.oidc = oidc;
        this.apps = apps;
    }

    private static EndToEndPlatform start() throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, DEFAULT_PARTITIONS);
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        broker.afterPropertiesSet();
        OidcProvider oidc = OidcProvider.start();
        Map<String, String> everyApp = new HashMap<>(oidc.trustedBy());
        // the console's single sign-on, with the provider above
        everyApp.put("deltaplane.console.oidc.client-id", "deltaplane-console");
        // the gateway trusts these tests as it would an ingress in front of it (the Java client's audit test)
        everyApp.put("deltaplane.security.trusted-proxies", "127.0.0.1,::1");
        try {
            return new EndToEndPlatform(
                    broker,
                    oidc,
                    PlatformApps.start(
                            broker.getBrokersAsString(),
                            // health passes every few seconds: HealthEndToEndTest waits for one
                            Map.of("deltaplane.health.evaluation-interval", "5s"),
                            everyApp));
        } catch (Exception | Error e) {
            oidc.close();
            broker.destroy();
            throw e;
        }
    }

    String gatewayUrl() {
        return apps.gatewayUrl();
    }

    String adminKey() {
        return PlatformApps.ADMIN_KEY;
    }

    EmbeddedKafkaKraftBroker broker() {
        return broker;
    }

    String kafkaBootstrapServers() {
        return broker.getBrokersAsString();
    }

    OidcProvider oidc() {
        return oidc;
    }

    @Override
    public void close() {
        try {
            apps.close();
        } finally {
            try {
                broker.destroy();
            } finally {
                oidc.close();
            }
        }
    }

    /** Resolves an {@link EndToEndPlatform} parameter to the one shared by every class of the run. */
    static final class Shared extends SharedPerRun<EndToEndPlatform> {
        Shared() {
            super(EndToEndPlatform.class, EndToEndPlatform::start, "the end-to-end platform");
        }
    }
}
