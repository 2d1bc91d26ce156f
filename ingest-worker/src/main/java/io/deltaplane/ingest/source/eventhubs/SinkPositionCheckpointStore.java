package io.deltaplane.ingest.source.eventhubs;

import static java.util.Objects.requireNonNull;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the processor sees: ownership and checkpoint writes go to Postgres, but no checkpoint is ever
 * listed back, so every partition starts from the processor's initial-position function — which
 * reads the DuckDB control table. The sink, not the checkpoint store, decides where to resume
 * (exactly once); Postgres checkpoints are kept for monitoring.
 */
final class SinkPositionCheckpointStore implements CheckpointStore {

    private final CheckpointStore delegate;

    SinkPositionCheckpointStore(CheckpointStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public Flux<PartitionOwnership> listOwnership(String namespace, String eventHub, String consumerGroup) {
        return delegate.listOwnership(namespace, eventHub, consumerGroup);
    }

    @Override
    public Flux<PartitionOwnership> claimOwnership(List<PartitionOwnership> requested) {
        return delegate.claimOwnership(requested);
    }

    @Override
    public Flux<Checkpoint> listCheckpoints(String namespace, String eventHub, String consumerGroup) {
        return Flux.empty();
    }

    @Override
    public Mono<Void> updateCheckpoint(Checkpoint checkpoint) {
        return delegate.updateCheckpoint(checkpoint);
    }
}
