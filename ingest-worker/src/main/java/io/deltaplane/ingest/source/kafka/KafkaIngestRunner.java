package io.deltaplane.ingest.source.kafka;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkFactory;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.IngestRunner;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.support.backoff.Backoff;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one Kafka-protocol mapping on one thread and writes it to DuckDB in batches.
 *
 * <p>Why a plain {@link KafkaConsumer} loop rather than a Spring Kafka listener container: the batch
 * boundary, the DuckDB transaction and the seek on assignment must all happen on the consuming
 * thread in a fixed order (flush on revocation, seek to the control table on assignment, never
 * commit to Kafka before DuckDB). Driving {@code poll}/{@code seek} directly makes that order
 * explicit, hands record bytes straight to the DuckDB appender, and lets mappings start and stop
 * at runtime without container machinery. One writer thread writes batch N while this thread polls
 * batch N+1; every rebalance, stop and failure first waits for that write.
 *
 * <p>Exactly once: rows and offsets commit in one DuckDB transaction; on (re)assignment the
 * consumer seeks to the control table's offsets, so after a crash the uncommitted batch is read
 * again and nothing committed is read twice. Offsets committed to Kafka serve lag monitoring only.
 *
 * <p>This class keeps the thread and its retries; each connection's consuming — the batch, the
 * writer, the rebalance callbacks — is a {@link KafkaSession}, opened anew after a failure.
 */
public final class KafkaIngestRunner implements IngestRunner {

    private static final Logger log = LoggerFactory.getLogger(KafkaIngestRunner.class);

    private final MappingSpec mapping;
    private final Supplier<Map<String, Object>> consumerProperties;
    private final SinkFactory sinks;
    private final IngestStats stats;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public KafkaIngestRunner(
            MappingSpec mapping,
            Supplier<Map<String, Object>> consumerProperties,
            SinkFactory sinks,
            IngestStats stats) {
        this.mapping = requireNonNull(mapping, "mapping");
        this.consumerProperties = requireNonNull(consumerProperties, "consumerProperties");
        this.sinks = requireNonNull(sinks, "sinks");
        this.stats = requireNonNull(stats, "stats");
        this.thread = new Thread(this::run, "ingest-" + mapping.name());
        this.thread.setDaemon(true);
    }

    /** A consumer writing to the mapping's DuckDB / MotherDuck table in {@code warehouse}. */
    public KafkaIngestRunner(
            MappingSpec mapping,
            Supplier<Map<String, Object>> consumerProperties,
            Warehouse warehouse,
            IngestStats stats) {
        this(mapping, consumerProperties, SinkFactory.duckDb(warehouse, mapping), stats);
    }

    @Override
    public void start() {
        stats.dryRun(mapping.isDryRun());
        thread.start();
    }

    @Override
    public void stop(Duration timeout) {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("Consumer of mapping {} did not stop within {}", mapping.name(), timeout);
        }
    }

    @Override
    public IngestStats stats() {
        return stats;
    }

    private void run() {
        // A failing consumer retries from 0.5 s, doubling up to 30 s.
        Backoff.Sequence backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2).sequence();
        while (running) {
            stats.state(IngestState.STARTING);
            try (Sink sink = sinks.open();
                    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProperties.get());
                    KafkaSession session = new KafkaSession(mapping, stats, () -> running, sink, c, backoff)) {
                consumer = c;
                session.consume();
            } catch (Exception e) {
                if (!running) {
                    break;
                }
                // Whatever failed, the batch in flight was rolled back: reconnect and resume from the
                // control table after a pause.
                log.warn("Mapping {} failed, retrying from the control table: {}", mapping.name(), e.toString());
                stats.failed(describe(e));
                sleep(backoff.next().toMillis());
            } finally {
                consumer = null;
                stats.forgetLag();
            }
        }
        stats.state(IngestState.STOPPED);
    }

    /** The failure and its root cause, e.g. "KafkaException: Failed to construct… (caused by …)". */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e
                ? top
                : top + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
