package io.deltaplane.metadata.lineage;

import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relays and their loops — committed versions ({@link LineageRelay}), maintenance runs
 * ({@link MaintenanceRunRelay}) and view definitions ({@link ViewLineageRelay}), each an outbox relayed the same way ({@link RelayOutbox}, {@link
 * RelayLoop}): rounds back to back while a backlog lasts, then one every {@code
 * deltaplane.lineage.poll-interval} or when a commit or a run wakes it, when enabled.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:io/deltaplane/metadata/lineage/lineage-relay.properties")
public class LineageRelayConfiguration {

    /** lineage-service's client, shared by both relays (closed with the context). */
    @Bean
    public LineageCalls lineageCalls(LineageRelayProperties properties) {
        return new LineageCalls(properties);
    }

    @Bean
    public LineageRelay lineageRelay(
            JdbcClient jdbc, LineageCalls lineage, LineageRelayProperties properties, Clock clock) {
        return new LineageRelay(jdbc, lineage, properties, clock);
    }

    /** Under load the commits of a {@code gather} window go in one batch instead of a request each. */
    @Bean
    public RelayLoop lineageRelayLoop(
            LineageRelay relay,
            LineageRelayProperties properties,
            ProcessRole role,
            ObjectProvider<MeterRegistry> registry) {
        return new RelayLoop(
                "lineage-relay",
                () -> relay.relayDue().full(),
                properties,
                role,
                properties.gather(),
                registry.getIfAvailable());
    }

    @Bean
    public MaintenanceRunRelay maintenanceRunRelay(
            JdbcClient jdbc, LineageCalls lineage, LineageRelayProperties properties, JsonMapper json, Clock clock) {
        return new MaintenanceRunRelay(jdbc, lineage, properties, json, clock);
    }

    @Bean
    public RelayLoop maintenanceRunRelayLoop(
            MaintenanceRunRelay relay,
            LineageRelayProperties properties,
            ProcessRole role,
            ObjectProvider<MeterRegistry> registry) {
        return new RelayLoop(
                "maintenance-run-relay",
                () -> relay.relayDue() >= MaintenanceRunRelay.BATCH,
                properties,
                role,
                null,
                registry.getIfAvailable());
    }

    @Bean
    public ViewLineageRelay viewLineageRelay(
            JdbcClient jdbc, LineageCalls lineage, LineageRelayProperties properties, JsonMapper json, Clock clock) {
        return new ViewLineageRelay(jdbc, lineage, properties, json, clock);
    }

    @Bean
    public RelayLoop viewLineageRelayLoop(
            ViewLineageRelay relay,
            LineageRelayProperties properties,
            ProcessRole role,
            ObjectProvider<MeterRegistry> registry) {
        return new RelayLoop(
                "view-lineage-relay",
                () -> relay.relayDue() >= ViewLineageRelay.BATCH,
                properties,
                role,
                null,
                registry.getIfAvailable());
    }
}
