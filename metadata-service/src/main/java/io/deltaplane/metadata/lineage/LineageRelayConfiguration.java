package io.deltaplane.metadata.lineage;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relays and their loops — committed versions ({@link LineageRelay}) and maintenance runs
 * ({@link MaintenanceRunRelay}), each an outbox relayed the same way ({@link RelayOutbox}, {@link
 * RelayLoop}): rounds back to back while a backlog lasts, then one every {@code
 * deltaplane.lineage.poll-interval} or when a commit or a run wakes it, when enabled.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/deltaplane/metadata/lineage/lineage-relay.properties")
public class LineageRelayConfiguration {

    @Bean
    public LineageRelay lineageRelay(
            JdbcClient jdbc, RestClient.Builder restClients, LineageRelayProperties properties, Clock clock) {
        return new LineageRelay(jdbc, restClients, properties, clock);
    }

    /** Under load the commits of a {@code gather} window go in one batch instead of a request each. */
    @Bean
    public RelayLoop lineageRelayLoop(
            LineageRelay relay, LineageRelayProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new RelayLoop(
                "lineage-relay",
                () -> relay.relayDue().full(),
                properties,
                properties.gather(),
                registry.getIfAvailable());
    }

    @Bean
    public MaintenanceRunRelay maintenanceRunRelay(
            JdbcClient jdbc,
            RestClient.Builder restClients,
            LineageRelayProperties properties,
            JsonMapper json,
            Clock clock) {
        return new MaintenanceRunRelay(jdbc, restClients, properties, json, clock);
    }

    @Bean
    public RelayLoop maintenanceRunRelayLoop(
            MaintenanceRunRelay relay, LineageRelayProperties properties, ObjectProvider<MeterRegistry> registry) {
        return new RelayLoop(
                "maintenance-run-relay",
                () -> relay.relayDue() >= MaintenanceRunRelay.BATCH,
                properties,
                null,
                registry.getIfAvailable());
    }

    /**
     * The client a relay calls lineage-service with. {@code restClients} is Spring's builder, so the
     * request id interceptor comes along. Blocking HttpURLConnection with keep-alive: the JDK
     * HttpClient behind Spring's other factory sends asynchronously, and on a machine with two CPUs
     * or fewer each of its requests started two new threads (the body writer, and the common pool's
     * stand-in).
     */
    static RestClient lineageClient(RestClient.Builder restClients, LineageRelayProperties properties) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(properties.requestTimeout());
        requests.setReadTimeout(properties.requestTimeout());
        return restClients
                .clone()
                .baseUrl(properties.baseUrl().toString())
                .requestFactory(requests)
                .build();
    }
}
