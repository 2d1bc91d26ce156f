package io.deltaplane.ingest.source.kafka;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.backoff.Backoff;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection's worth of consuming: a sink, a consumer, the batch and the known positions. */
final class KafkaSession implements ConsumerRebalanceListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaSession.class);
    private static final Duration IDLE_POLL = Duration.ofMillis(500);
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(20);

    private final MappingSpec mapping;
    private final IngestStats stats;
    /** False once the runner stops: the session writes what it read and returns. */
    private final BooleanSupplier running;

    private final Sink sink;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Backoff.Sequence backoff;
    private SinkBatch batch;
    /** Writes one batch at a time while the consumer thread polls the next (double buffering). */
    private final ExecutorService writer;

    private CompletableFuture<BatchResult> inFlight;
    private SinkBatch writing;
    private SinkBatch spare;
    private final int maxRows;
    private final long maxBytes;
    private final long maxWaitNanos;
    /** Per partition, the next offset committed in DuckDB (absent: never written). */
    private final Map<Integer, Long> committed = new HashMap<>();

    private long batchStarted;
    /** Set once the session ends: a clean stop has written its batch, a failed one drops it. */
    private boolean closed;

    KafkaSession(
            MappingSpec mapping,
            IngestStats stats,
            BooleanSupplier running,
            Sink sink,
            KafkaConsumer<byte[], byte[]> consumer,
            Backoff.Sequence backoff) {
        this.mapping = mapping;
        this.stats = stats;
        this.running = running;
        this.sink = sink;
        this.consumer = consumer;
        this.backoff = backoff;
        this.maxRows = mapping.batch().rows();
        this.maxBytes = mapping.batch().bytes();
        this.maxWaitNanos = mapping.batch().waitMs() * 1_000_000L;
        this.batch = new SinkBatch(maxRows);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ingest-" + mapping.name() + "-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Lets a write in flight finish (its outcome no longer matters) before the sink closes. Runs
     * before the consumer closes: what the session read and did not write is dropped here, so the
     * consumer's revocation on close has nothing to write and it leaves the group at once — a
     * revocation that failed would keep this member in the group, holding its partitions from the
     * next session for the whole session timeout.
     */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        batch.clear();
        writer.shutdown();
        if (!writer.awaitTermination(2, TimeUnit.MINUTES)) {
            log.warn("Mapping {}: a sink write did not finish within 2 minutes", mapping.name());
        }
    }

    void consume() throws IOException, SQLException {
        stats.restore(sink.totals());
        consumer.subscribe(List.of(mapping.source().topic()), this);
        stats.state(IngestState.RUNNING);
        while (running.getAsBoolean()) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(pollTimeout());
            } catch (WakeupException e) {
                if (running.getAsBoolean()) {
                    throw e;
                }
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                if (batch.isEmpty()) {
                    batchStarted = System.nanoTime();
                }
                batch.add(r.partition(), r.offset(), r.timestamp(), r.value());
                if (batch.size() >= maxRows || batch.bytes() >= maxBytes) {
                    flush();
                }
            }
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<byte[], byte[]>> read = records.records(tp);
                stats.read(tp.partition(), read.get(read.size() - 1).timestamp());
            }
            if (!batch.isEmpty() && System.nanoTime() - batchStarted >= maxWaitNanos) {
                flush();
            }
            if (inFlight != null && inFlight.isDone()) {
                awaitWrite();
            }
            if (!records.isEmpty() || batch.isEmpty()) {
                updateLag();
            }
        }
        // Clean stop (pause, mapping change, shutdown): write what was read.
        flushAndWait();
    }

    private Duration pollTimeout() {
        if (batch.isEmpty()) {
            // While a write is in flight, look back soon to record it (status, lag commits).
            return inFlight == null ? IDLE_POLL : IN_FLIGHT_POLL;
        }
        long left = maxWaitNanos - (System.nanoTime() - batchStarted);
        return Duration.ofNanos(Math.max(0, left));
    }

    /**
     * Hands the batch to the writer and returns; the previous write is awaited first, so at most
     * one batch is in flight and each starts from the offsets the previous one committed.
     */
    private void flush() throws IOException, SQLException {
        if (batch.isEmpty()) {
            return;
        }
        awaitWrite();
        SinkBatch toWrite = batch;
        batch = spare == null ? new SinkBatch(maxRows) : spare;
        spare = null;
        Map<Integer, Long> expected = Map.copyOf(committed);
        writing = toWrite;
        inFlight = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return sink.write(toWrite, expected);
                    } catch (IOException | SQLException e) {
                        throw new CompletionException(e);
                    }
                },
                writer);
    }

    /** Writes the current batch and waits until it is committed. */
    private void flushAndWait() throws IOException, SQLException {
        flush();
        awaitWrite();
    }

    /** Waits for the write in flight; on success records it and commits offsets for lag monitoring. */
    private void awaitWrite() throws IOException, SQLException {
        if (inFlight == null) {
            return;
        }
        BatchResult result;
        try {
            result = inFlight.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } finally {
            inFlight = null;
            writing.clear();
            spare = writing;
            writing = null;
        }
        stats.batch(result);
        backoff.reset();
        if (result.dryRun()) {
            return;
        }
        committed.putAll(result.nextOffsets());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        result.nextOffsets()
                .forEach((p, o) ->
                        offsets.put(new TopicPartition(mapping.source().topic(), p), new OffsetAndMetadata(o)));
        // Lag monitoring only: a lost or late commit never affects what is ingested.
        consumer.commitAsync(offsets, (o, e) -> {
            if (e != null) {
                log.debug("Offset commit for lag monitoring failed: {}", e.toString());
            }
        });
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                stats.lag(tp.partition(), lag.getAsLong());
            }
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Called on the consuming thread inside poll(): write what we hold before another
        // consumer takes the partitions over (it will start from the control table). On close
        // there is nothing left to write (see close()).
        try {
            if (!closed) {
                flushAndWait();
            }
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Could not write the batch before a rebalance", e);
        }
        for (TopicPartition tp : partitions) {
            committed.remove(tp.partition());
        }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // The partitions may already belong to someone else: drop the batch and start a new
        // session, which seeks every partition it gets to the control table again.
        batch.clear();
        throw new IllegalStateException("Partitions lost: " + partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> positions;
        try {
            awaitWrite();
            positions = sink.positions();
            // partitions arrive when workers come and go: the warehouse's totals are read again, so
            // the status counts what a worker that died wrote after it last reported (StatusBoard)
            stats.restore(sink.totals());
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Could not read the sink's positions", e);
        }
        Map<Integer, Long> assigned = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = positions.get(tp.partition());
            if (next != null) {
                consumer.seek(tp, next);
                committed.put(tp.partition(), next);
                assigned.put(tp.partition(), next);
            } else if (mapping.source().startFromLatest()) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        stats.positions(assigned);
        log.info("Mapping {} assigned {} (resuming from the control table: {})", mapping.name(), partitions, assigned);
    }
}
