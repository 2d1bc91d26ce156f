package io.deltaplane.ingest.source.eventhubs;

import static java.util.Objects.requireNonNull;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.messaging.eventhubs.models.LastEnqueuedEventProperties;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.IngestRunner;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.secrets.Secrets;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native Event Hubs (AMQP) through the SDK's {@link EventProcessorClient}: batches of up to
 * {@code max_rows} events or {@code max_wait_ms} per partition, {@code prefetch} events buffered,
 * partitions balanced between replicas through the Postgres {@link PostgresCheckpointStore}.
 *
 * <p>Exactly once as for Kafka: a batch's rows and the partition's next sequence number commit in
 * one DuckDB transaction; when the processor (re)claims a partition it asks
 * {@link #initialPosition(String)}, which reads the control table. A failed batch is rolled back and
 * rethrown; the SDK closes the partition and reopens it from the control table.
 */
public final class EventHubsIngestRunner implements IngestRunner {

    private static final Logger log = LoggerFactory.getLogger(EventHubsIngestRunner.class);

    private final MappingSpec mapping;
    private final SinkFactory sinks;
    private final CheckpointStore checkpoints;
    private final Secrets secrets;
    private final IngestStats stats;
    /** Per partition, the next sequence number committed in DuckDB. Guarded by {@code this}. */
    private final Map<Integer, Long> committed = new HashMap<>();

    private final EgressPolicy egress;

    private Sink sink;
    private volatile EventProcessorClient processor;

    /** Any Event Hubs namespace is an allowed destination (tests). */
    public EventHubsIngestRunner(
            MappingSpec mapping, Warehouse warehouse, CheckpointStore checkpoints, Secrets secrets, IngestStats stats) {
        this(
                mapping,
                SinkFactory.duckDb(warehouse, mapping),
                checkpoints,
                secrets,
                stats,
                new EgressPolicy(java.util.List.of("*.servicebus.windows.net"), null, java.util.List.of()));
    }

    public EventHubsIngestRunner(
            MappingSpec mapping,
            SinkFactory sinks,
            CheckpointStore checkpoints,
            Secrets secrets,
            IngestStats stats,
            EgressPolicy egress) {
        this.egress = requireNonNull(egress, "egress");
        this.mapping = requireNonNull(mapping, "mapping");
        this.sinks = requireNonNull(sinks, "sinks");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints");
        this.secrets = requireNonNull(secrets, "secrets");
        this.stats = requireNonNull(stats, "stats");
    }

    /** The processor this runner drives; building it does not connect (start() does). */
    public EventProcessorClient buildProcessor() {
        var source = mapping.source();
        String connectionString = secrets.require(source.connectionStringEnv());
        // The namespace is only known from the secret: checked here, before the client connects.
        egress.require(KafkaClientSettings.eventHubsBootstrap(connectionString).replaceFirst(":9093$", ":5671"));
        return new EventProcessorClientBuilder()
                .connectionString(connectionString, source.eventHub())
                .consumerGroup(source.consumerGroup())
                .checkpointStore(new SinkPositionCheckpointStore(checkpoints))
                .prefetchCount(source.prefetch() == null ? 500 : source.prefetch())
                .trackLastEnqueuedEventProperties(true)
                .initialPartitionEventPosition(this::initialPosition)
                .processEventBatch(
                        this::onBatch,
                        mapping.batch().rows(),
                        Duration.ofMillis(mapping.batch().waitMs()))
                .processError(error -> stats.failed("Partition "
                        + error.getPartitionContext().getPartitionId() + ": "
                        + error.getThrowable().getClass().getSimpleName() + ": "
                        + error.getThrowable().getMessage()))
                .buildEventProcessorClient();
    }

    @Override
    public void start() {
        stats.dryRun(mapping.isDryRun());
        stats.state(IngestState.STARTING);
        try {
            processor = buildProcessor();
            processor.start();
            stats.state(IngestState.RUNNING);
        } catch (RuntimeException e) {
            // A missing connection-string variable or a bad connection string: report, retry on change.
            stats.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    @Override
    public void stop(Duration timeout) {
        EventProcessorClient p = processor;
        if (p != null) {
            p.stop(timeout);
        }
        synchronized (this) {
            closeSink();
        }
        stats.state(IngestState.STOPPED);
    }

    @Override
    public IngestStats stats() {
        return stats;
    }

    /** Where a newly claimed partition starts: the control table, else earliest or latest. */
    public synchronized EventPosition initialPosition(String partitionId) {
        int partition = Integer.parseInt(partitionId);
        try {
            Long next = sink().positions().get(partition);
            if (next != null) {
                committed.put(partition, next);
                stats.positions(Map.of(partition, next));
                return EventPosition.fromSequenceNumber(next, true);
            }
            committed.remove(partition);
        } catch (IOException | SQLException e) {
            closeSink();
            // Without the control table we must not start at all: fail the partition, the SDK retries.
            throw new IllegalStateException("Could not read the control table for partition " + partitionId, e);
        }
        return mapping.source().startFromLatest() ? EventPosition.latest() : EventPosition.earliest();
    }

    /**
     * One batch of one partition, as the processor delivers it: written as one sink batch, or as
     * several when its events hold more than {@code max_bytes}.
     */
    public void onBatch(EventBatchContext context) {
        List<EventData> events = context.getEvents();
        if (events.isEmpty()) {
            return;
        }
        int partition = Integer.parseInt(context.getPartitionContext().getPartitionId());
        long maxBytes = mapping.batch().bytes();
        boolean dryRun = false;
        synchronized (this) {
            // Events below the committed position were written already (a redelivery): skip them.
            long from = committed.getOrDefault(partition, Long.MIN_VALUE);
            SinkBatch batch = new SinkBatch(events.size());
            for (EventData event : events) {
                if (event.getSequenceNumber() < from) {
                    continue;
                }
                long enqueued = event.getEnqueuedTime() == null
                        ? -1
                        : event.getEnqueuedTime().toEpochMilli();
                batch.add(partition, event.getSequenceNumber(), enqueued, event.getBody());
                if (batch.bytes() >= maxBytes) {
                    dryRun |= write(partition, batch);
                    batch = new SinkBatch(events.size());
                }
            }
            if (!batch.isEmpty()) {
                dryRun |= write(partition, batch);
            }
        }
        stats.state(IngestState.RUNNING);
        EventData newest = events.get(events.size() - 1);
        if (newest.getEnqueuedTime() != null) {
            stats.read(partition, newest.getEnqueuedTime().toEpochMilli());
        }
        LastEnqueuedEventProperties last = context.getLastEnqueuedEventProperties();
        if (last != null && last.getSequenceNumber() != null) {
            stats.lag(
                    partition,
                    Math.max(
                            0,
                            last.getSequenceNumber()
                                    - events.get(events.size() - 1).getSequenceNumber()));
        }
        if (!dryRun) {
            // Monitoring only (Postgres); resuming is decided by the control table.
            context.updateCheckpoint();
        }
    }

    /** Writes one sink batch (the caller holds this runner's lock); true if it was a dry run. */
    private boolean write(int partition, SinkBatch batch) {
        BatchResult result;
        try {
            result = sink().write(batch, committed);
        } catch (IOException | SQLException e) {
            closeSink();
            throw new IllegalStateException("Batch of partition " + partition + " rolled back", e);
        }
        if (!result.dryRun()) {
            committed.putAll(result.nextOffsets());
        }
        stats.batch(result);
        return result.dryRun();
    }

    private Sink sink() throws IOException, SQLException {
        if (sink == null) {
            sink = sinks.open();
            stats.restore(sink.totals());
        }
        return sink;
    }

    private void closeSink() {
        if (sink != null) {
            try {
                sink.close();
            } catch (SQLException e) {
                log.debug("Closing the sink of {}: {}", mapping.name(), e.toString());
            }
            sink = null;
        }
    }
}
