package io.deltaplane.ingest.worker;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.IngestRunner;
import io.deltaplane.ingest.source.Secrets;
import io.deltaplane.ingest.source.eventhubs.EventHubsIngestRunner;
import io.deltaplane.ingest.source.eventhubs.PostgresCheckpointStore;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.source.kafka.KafkaIngestRunner;
import io.deltaplane.ingest.status.IngestStats;
import org.springframework.stereotype.Component;

/** Builds the consumer for a mapping's source type. */
@Component
public class RunnerFactory {

    private final Warehouse warehouse;
    private final KafkaClientSettings kafka;
    private final PostgresCheckpointStore checkpoints;
    private final Secrets secrets;

    private final EgressPolicy egress;

    public RunnerFactory(
            Warehouse warehouse,
            KafkaClientSettings kafka,
            PostgresCheckpointStore checkpoints,
            Secrets secrets,
            EgressPolicy egress) {
        this.egress = requireNonNull(egress, "egress");
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.kafka = requireNonNull(kafka, "kafka");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints");
        this.secrets = requireNonNull(secrets, "secrets");
    }

    public IngestRunner create(MappingSpec mapping, IngestStats stats) {
        if (SourceSpec.EVENTHUBS.equals(mapping.source().type())) {
            return new EventHubsIngestRunner(mapping, warehouse, checkpoints, secrets, stats, egress);
        }
        // Properties are built when the consumer (re)connects, so secrets are read at use time.
        return new KafkaIngestRunner(mapping, () -> kafka.consumer(mapping), warehouse, stats);
    }
}
