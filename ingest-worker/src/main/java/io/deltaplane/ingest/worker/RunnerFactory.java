package io.deltaplane.ingest.worker;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.CommitObserver;
import io.deltaplane.ingest.delta.DeltaSinks;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.IngestRunner;
import io.deltaplane.ingest.source.eventhubs.EventHubsIngestRunner;
import io.deltaplane.ingest.source.eventhubs.PostgresCheckpointStore;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.source.kafka.KafkaIngestRunner;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import org.springframework.stereotype.Component;

/** Builds the consumer for a mapping's source type. */
@Component
public class RunnerFactory {

    private final Warehouse warehouse;
    private final KafkaClientSettings kafka;
    private final PostgresCheckpointStore checkpoints;
    private final Secrets secrets;

    private final EgressPolicy egress;
    private final DeltaSinks deltaSinks;

    public RunnerFactory(
            Warehouse warehouse,
            DeltaSinks deltaSinks,
            KafkaClientSettings kafka,
            PostgresCheckpointStore checkpoints,
            Secrets secrets,
            EgressPolicy egress) {
        this.egress = requireNonNull(egress, "egress");
        this.deltaSinks = requireNonNull(deltaSinks, "deltaSinks");
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.kafka = requireNonNull(kafka, "kafka");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints");
        this.secrets = requireNonNull(secrets, "secrets");
    }

    /** The consumer of {@code mapping}; {@code observer} hears of each Delta version it commits. */
    public IngestRunner create(MappingSpec mapping, IngestStats stats, CommitObserver observer) {
        SinkFactory sinks = mapping.target().isDelta()
                ? deltaSinks.factory(mapping, observer)
                : SinkFactory.duckDb(warehouse, mapping, deltaSinks.workerId());
        if (SourceSpec.EVENTHUBS.equals(mapping.source().type())) {
            return new EventHubsIngestRunner(mapping, sinks, checkpoints, secrets, stats, egress);
        }
        // Properties are built when the consumer (re)connects, so secrets are read at use time.
        return new KafkaIngestRunner(mapping, () -> kafka.consumer(mapping), sinks, stats);
    }
}
