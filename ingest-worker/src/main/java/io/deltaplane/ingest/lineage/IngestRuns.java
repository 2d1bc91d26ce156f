package io.deltaplane.ingest.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.config.ServicesProperties;
import io.deltaplane.ingest.delta.CommitObserver;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each mapping is a lineage job, {@code ingest:<mapping>}, with one run per consumer incarnation in
 * this worker: its input is the stream ({@code kafka://<broker>/<topic>}, {@code
 * eventhubs://<namespace>/<hub>}), its output the target table, so the graph shows topic → mapping
 * → table for Delta and DuckDB / MotherDuck targets alike. Runs are reported as OpenLineage events,
 * heartbeat while they run. Every Delta version a run commits names the run in its commitInfo,
 * and metadata-service's lineage outbox delivers it with the run as its writer (once, not from here).
 *
 * <p>Reporting never holds up ingestion: events queue here and a background loop delivers them,
 * retrying while lineage-service is away (a bounded queue; the oldest are dropped past it).
 */
@Component
public class IngestRuns implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(IngestRuns.class);
    static final String JOB_NAMESPACE = "deltaplane";
    static final String PRODUCER = "https://github.com/deltaplane/deltaplane/ingest-worker";
    static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    /** The namespace lineage-service files metadata-service's tables under. */
    static final String TABLE_NAMESPACE = "default";

    private static final int MAX_QUEUED = 10_000;
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(30);

    private final LineageClient client;
    private final boolean enabled;
    private final JsonMapper json;
    private final Clock clock;
    private final Warehouse warehouse;
    private final String kafkaBootstrap;
    private final LinkedBlockingDeque<Delivery> queue = new LinkedBlockingDeque<>();
    private final Map<UUID, IngestRun> running = new ConcurrentHashMap<>();
    private final BackgroundLoop loop;
    private volatile long lastHeartbeat;

    public IngestRuns(
            ServicesProperties services,
            io.deltaplane.ingest.config.IngestProperties ingest,
            Warehouse warehouse,
            JsonMapper json,
            Clock clock,
            MeterRegistry registry) {
        this.enabled = services.hasApiKey();
        // without a service key nothing is reported, and there is no client to report with
        this.client =
                enabled ? new LineageClient(services.lineageUrl(), services.apiKey(), services.requestTimeout()) : null;
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.kafkaBootstrap = ingest.kafkaBootstrap();
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
        this.loop = BackgroundLoop.named("ingest-lineage")
                .round(this::deliver)
                .every(Duration.ofSeconds(2))
                .metrics(registry)
                .build();
    }

    /** One POST lineage-service should receive. */
    /** A report queued for lineage-service. */
    private sealed interface Delivery {
        int sendWith(LineageClient client) throws IOException;
    }

    /** An OpenLineage run event (START, COMPLETE, FAIL). */
    private record RunEvent(String type, String json) implements Delivery {
        @Override
        public int sendWith(LineageClient client) throws IOException {
            return client.event(json);
        }

        @Override
        public String toString() {
            return "a " + type + " event";
        }
    }

    /** A running run's heartbeat. */
    private record Heartbeat(String job, UUID run) implements Delivery {
        @Override
        public int sendWith(LineageClient client) throws IOException {
            return client.heartbeat(job, run);
        }

        @Override
        public String toString() {
            return "a heartbeat of run " + run;
        }
    }

    /**
     * What a consumer says of its progress: stalled (meant to consume, and has not for a while) and
     * how far behind its stream it is (null while unknown). Reported to lineage in run facet {@value
     * #PROGRESS_FACET} whenever its {@link #standing} changes, where lineage's job health reads it.
     */
    public record Progress(boolean stalled, Double lagSeconds) {

        /** A run that reports nothing (a test's, say): never stalled. */
        public static final Progress NONE = new Progress(false, null);

        /** How far behind a consumer is lagging: the newest event read is this old with more waiting. */
        public static final Duration LAGGING_AFTER = Duration.ofMinutes(5);

        /** Where the consumer stands, as lineage is told it. */
        public Standing standing() {
            return stalled
                    ? Standing.STALLED
                    : lagSeconds != null && lagSeconds >= LAGGING_AFTER.toSeconds()
                            ? Standing.LAGGING
                            : Standing.CONSUMING;
        }
    }

    /** STALLED; LAGGING: consuming, {@link Progress#LAGGING_AFTER} or more behind; else CONSUMING. */
    public enum Standing {
        CONSUMING,
        LAGGING,
        STALLED
    }

    /** The run facet progress is reported in; lineage-service reads it by this name. */
    static final String PROGRESS_FACET = "deltaplane_ingest_progress";

    static final String PROGRESS_SCHEMA_URL = "https://deltaplane.io/spec/facets/1-0-0/IngestProgressRunFacet.json";

    /** A consumer incarnation of a mapping, as a lineage run. */
    public final class IngestRun implements CommitObserver {
        private final UUID id = UUID.randomUUID();
        private final String job;
        private final Supplier<Progress> progress;
        /** The standing lineage was last told (CONSUMING until told otherwise). */
        private volatile Standing reportedStanding = Standing.CONSUMING;

        private IngestRun(String job, Supplier<Progress> progress) {
            this.job = job;
            this.progress = progress;
        }

        public UUID id() {
            return id;
        }

        public String job() {
            return job;
        }

        @Override
        public String runId() {
            return id.toString();
        }
    }

    /** Starts the run of a consumer of {@code mapping} that reports no progress. */
    public IngestRun start(MappingSpec mapping) {
        return start(mapping, () -> Progress.NONE);
    }

    /**
     * Starts the run of a consumer of {@code mapping}: START with the source and target datasets;
     * while it runs, a RUNNING event each time {@code progress} turns stalled or back.
     */
    public IngestRun start(MappingSpec mapping, Supplier<Progress> progress) {
        IngestRun run = new IngestRun("ingest:" + mapping.name(), requireNonNull(progress, "progress"));
        running.put(run.id(), run);
        ObjectNode event = event("START", run);
        ObjectNode input = event.putArray("inputs").addObject();
        SourceSpec source = mapping.source();
        input.put("namespace", sourceNamespace(source));
        input.put("name", source.stream());
        ObjectNode output = event.putArray("outputs").addObject();
        if (mapping.target().isDelta()) {
            output.put("namespace", TABLE_NAMESPACE);
            output.put("name", mapping.target().table());
            output.putObject("facets")
                    .putObject("storage")
                    .put("storageLayer", "delta")
                    .put("fileFormat", "parquet")
                    .put("_producer", PRODUCER)
                    .put("_schemaURL", "https://openlineage.io/spec/facets/1-0-0/StorageDatasetFacet.json");
        } else {
            String database = mapping.target().database() == null
                    ? warehouse.defaultDatabase()
                    : mapping.target().database();
            output.put(
                    "namespace",
                    "duckdb://" + (warehouse.target().startsWith("md:") ? warehouse.target() : "warehouse"));
            output.put(
                    "name",
                    database + "." + mapping.target().schema() + "."
                            + mapping.target().table());
        }
        ObjectNode facets = ((ObjectNode) event.get("run")).putObject("facets");
        facets.putObject("processing_engine")
                .put("name", "deltaplane-ingest-worker")
                .put("version", "0.1.0")
                .put("_producer", PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json");
        enqueue(new RunEvent("START", event.toString()));
        return run;
    }

    /** Ends a run: COMPLETE after a clean stop, FAIL when the consumer gave up. */
    public void finish(IngestRun run, boolean completed) {
        if (run == null || running.remove(run.id()) == null) {
            return;
        }
        String type = completed ? "COMPLETE" : "FAIL";
        enqueue(new RunEvent(type, event(type, run).toString()));
        loop.wake();
    }

    private ObjectNode event(String type, IngestRun run) {
        ObjectNode event = json.createObjectNode();
        event.put("eventType", type);
        event.put("eventTime", clock.instant().toString());
        event.putObject("run").put("runId", run.id().toString());
        event.putObject("job").put("namespace", JOB_NAMESPACE).put("name", run.job());
        event.put("producer", PRODUCER);
        event.put("schemaURL", SCHEMA_URL);
        return event;
    }

    private String sourceNamespace(SourceSpec source) {
        if (SourceSpec.EVENTHUBS.equals(source.type())) {
            String namespace =
                    source.fullyQualifiedNamespace() == null ? "eventhubs" : source.fullyQualifiedNamespace();
            return "eventhubs://" + namespace;
        }
        String servers = source.bootstrapServers() == null ? kafkaBootstrap : source.bootstrapServers();
        return "kafka://" + servers.split(",")[0].trim();
    }

    private void enqueue(Delivery delivery) {
        if (!enabled) {
            return;
        }
        while (queue.size() >= MAX_QUEUED) {
            Delivery dropped = queue.pollFirst();
            log.warn("Lineage queue full: dropped {}", dropped);
        }
        queue.addLast(delivery);
        loop.wake();
    }

    /** Delivers what is queued, in order; stops at the first failure (retried next round). */
    private boolean deliver() {
        heartbeatIfDue();
        reportProgress();
        Delivery next;
        while ((next = queue.peekFirst()) != null) {
            try {
                int status = next.sendWith(client);
                if (status >= 400) {
                    // The request itself is refused (e.g. a table name lineage does not take): retrying won't help.
                    log.warn("lineage-service refused {} with {}", next, status);
                }
            } catch (IOException e) {
                log.debug("lineage-service unreachable, will retry: {}", e.toString());
                return false;
            }
            queue.pollFirst();
        }
        return false;
    }

    /** A RUNNING event with the progress facet for each running run whose standing changed. */
    private void reportProgress() {
        for (IngestRun run : running.values()) {
            Progress now = run.progress.get();
            Standing standing = now.standing();
            if (standing == run.reportedStanding) {
                continue;
            }
            run.reportedStanding = standing;
            ObjectNode event = event("RUNNING", run);
            ObjectNode facet =
                    ((ObjectNode) event.get("run")).putObject("facets").putObject(PROGRESS_FACET);
            facet.put("standing", standing.name());
            facet.put("stalled", now.stalled());
            if (now.lagSeconds() != null) {
                facet.put("lagSeconds", now.lagSeconds());
            }
            facet.put("_producer", PRODUCER).put("_schemaURL", PROGRESS_SCHEMA_URL);
            enqueue(new RunEvent("RUNNING", event.toString()));
            log.info("{}: reported {} to lineage (lag {} s)", run.job(), standing, now.lagSeconds());
        }
    }

    private void heartbeatIfDue() {
        long now = clock.millis();
        if (now - lastHeartbeat < HEARTBEAT_EVERY.toMillis()) {
            return;
        }
        lastHeartbeat = now;
        for (IngestRun run : running.values()) {
            enqueue(new Heartbeat(run.job(), run.id()));
        }
    }

    @Override
    public void start() {
        if (enabled) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
        if (enabled) {
            deliver(); // The runs' last events, once, before the worker goes.
        }
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @jakarta.annotation.PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** Stop after the consumers (which finish their runs) and before the warehouse closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2;
    }
}
