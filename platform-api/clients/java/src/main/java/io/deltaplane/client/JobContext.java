package io.deltaplane.client;

import io.deltaplane.client.generated.lineage.api.EventsApi;
import io.deltaplane.client.generated.lineage.api.JobsApi;
import io.deltaplane.client.generated.lineage.api.TablesApi;
import io.deltaplane.client.generated.lineage.model.BroadcastEvent;
import io.deltaplane.client.generated.lineage.model.EventCreated;
import io.deltaplane.client.generated.lineage.model.RegisterSnapshot;
import io.deltaplane.client.generated.lineage.model.Snapshot;
import io.deltaplane.client.generated.lineage.model.Uploaded;
import io.deltaplane.client.internal.ArtifactUpload;
import io.deltaplane.client.internal.Json;
import io.deltaplane.client.model.CommitResult;
import io.deltaplane.client.model.Run;
import io.deltaplane.client.model.TableSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a job, for lineage: what it read ({@link #getTableLatestUri}), what it wrote ({@link
 * #registerSnapshot}), what happened ({@link #logEvent}) and its log ({@link #attachLog}).
 *
 * <pre>{@code
 * try (JobContext job = client.startJob("daily_sales_etl", Map.of("owner", "sales"))) {
 *     String input = job.getTableLatestUri("sales_raw");
 *     job.registerSnapshot("sales_daily", outputUri, "delta");
 *     job.logEvent("metrics", Map.of("rows", 1200));
 *     job.attachLog(Path.of("etl.log"));
 * }   // completed here: heartbeats stop, the log is uploaded and linked, the run is COMPLETED
 * }</pre>
 *
 * <p>While open, a background heartbeat tells lineage-service the run is alive (runs that fall
 * silent become ABANDONED). Closing completes the run: FAILED if {@link #fail} was called, which
 * {@link Deltaplane#runJob} does when the body throws.
 */
public final class JobContext implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobContext.class);

    /** The commitInfo field naming the lineage run that wrote a version (metadata-service reads it). */
    static final String RUN_ID_FIELD = "deltaplaneRunId";

    private final Deltaplane client;
    private final Calls calls;
    private final JobsApi jobs;
    private final EventsApi events;
    private final TablesApi tables;
    private final String jobName;
    private final Run run;
    private final UUID runUuid;
    private final ScheduledFuture<?> heartbeat;
    private final List<Path> logs = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Throwable failure;
    private volatile Run completed;

    private JobContext(Deltaplane client, Calls calls, ScheduledExecutorService scheduler, String jobName, Run run) {
        this.client = client;
        this.calls = calls;
        this.jobs = new JobsApi(client.generated().lineage());
        this.events = new EventsApi(client.generated().lineage());
        this.tables = new TablesApi(client.generated().lineage());
        this.jobName = jobName;
        this.run = run;
        this.runUuid = UUID.fromString(run.runId());
        long every = client.config().heartbeatInterval().toMillis();
        this.heartbeat = scheduler.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts the run; used by {@link Deltaplane#startJob}. */
    public static JobContext start(
            Deltaplane client,
            Calls calls,
            ScheduledExecutorService scheduler,
            String jobName,
            Map<String, ?> metadata) {
        Run run = client.jobs().startRun(jobName, metadata);
        return new JobContext(client, calls, scheduler, jobName, run);
    }

    public String jobName() {
        return jobName;
    }

    public String runId() {
        return run.runId();
    }

    /** The run as lineage answered on completion (null while running). */
    public Run completedRun() {
        return completed;
    }

    /** The latest snapshot of a table, recording this run as its reader (an input edge). */
    public TableSnapshot getTableLatest(String tableName) {
        Objects.requireNonNull(tableName, "tableName");
        return snapshot(calls.idempotent(h -> tables.getTablesByTableNameSnapshotsLatest(tableName, runUuid, h)));
    }

    /** Where the latest snapshot of a table lives (its URI), recording this run as a reader. */
    public String getTableLatestUri(String tableName) {
        return getTableLatest(tableName).uri();
    }

    /** Records a snapshot this run wrote (an output edge). */
    public TableSnapshot registerSnapshot(String tableName, String uri, String format, Object schema) {
        RegisterSnapshot body = new RegisterSnapshot()
                .tableName(Objects.requireNonNull(tableName, "tableName"))
                .uri(Objects.requireNonNull(uri, "uri"))
                .format(Objects.requireNonNull(format, "format"))
                .schema(schema)
                .jobName(jobName)
                .runId(runUuid);
        return snapshot(calls.create(h -> jobs.postJobsRegisterSnapshot(body, h)));
    }

    public TableSnapshot registerSnapshot(String tableName, String uri, String format) {
        return registerSnapshot(tableName, uri, format, null);
    }

    /**
     * Commits Delta actions to a platform table as this run, as {@link Tables#commit} does: the
     * version's commitInfo names the run ({@code deltaplaneRunId}), so lineage records the run as the
     * version's writer (an output edge) once metadata-service relays it — no {@link
     * #registerSnapshot} for it. A commitInfo among {@code actions} keeps its fields and gains the
     * run's id.
     *
     * @throws ConflictException (VERSION_CONFLICT) when the table moved past {@code expectedVersion}
     */
    public CommitResult commit(String table, long expectedVersion, List<? extends Map<String, ?>> actions) {
        List<Map<String, ?>> written = new ArrayList<>(actions.size() + 1);
        boolean named = false;
        for (Map<String, ?> action : actions) {
            if (action.get("commitInfo") instanceof Map<?, ?> given) {
                Map<String, Object> info = new LinkedHashMap<>();
                given.forEach((field, value) -> info.put(String.valueOf(field), value));
                info.put(RUN_ID_FIELD, run.runId());
                written.add(Map.of("commitInfo", info));
                named = true;
            } else {
                written.add(action);
            }
        }
        if (!named) {
            written.add(Map.of("commitInfo", Map.of(RUN_ID_FIELD, run.runId())));
        }
        return client.tables().commit(table, expectedVersion, written);
    }

    /** Broadcasts an event of this run; returns its id. */
    public String logEvent(String eventType, Map<String, ?> data) {
        BroadcastEvent body = new BroadcastEvent()
                .eventType(Objects.requireNonNull(eventType, "eventType"))
                .data(data == null ? Map.of() : data)
                .jobName(jobName)
                .runId(runUuid);
        EventCreated created = calls.create(h -> events.postEventsBroadcast(body, h));
        return created == null || created.getEventId() == null
                ? null
                : created.getEventId().toString();
    }

    /** A log file to upload (streamed) and link to the run when it completes. */
    public void attachLog(Path file) {
        if (!Files.isRegularFile(Objects.requireNonNull(file, "file"))) {
            throw new IllegalArgumentException("Not a file: " + file);
        }
        synchronized (logs) {
            logs.add(file);
        }
    }

    /** Marks the run failed; it is completed as FAILED when the context closes. */
    public void fail(Throwable cause) {
        this.failure = Objects.requireNonNull(cause, "cause");
    }

    public boolean failed() {
        return failure != null;
    }

    private void beat() {
        try {
            client.jobs().heartbeat(jobName, runId());
        } catch (RuntimeException e) {
            log.warn("Heartbeat of {} run {} failed: {}", jobName, runId(), e.getMessage());
        }
    }

    /** Completes the run: stops heartbeats, uploads attached logs, reports success or failure. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        heartbeat.cancel(false);
        List<Map<String, String>> artifacts = new ArrayList<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        if (client.config().logShip()) {
            List<Path> files;
            synchronized (logs) {
                files = List.copyOf(logs);
            }
            for (Path file : files) {
                try {
                    artifacts.add(Map.of("type", "log", "uri", upload(file).getUri()));
                } catch (RuntimeException e) {
                    log.warn("Could not upload log {} of run {}: {}", file, runId(), e.getMessage());
                    extra.put("log_upload_error", e.getMessage());
                }
            }
        }
        Throwable cause = failure;
        if (cause != null) {
            extra.put("error", cause.getClass().getName() + ": " + cause.getMessage());
        }
        Run answer = client.jobs().completeRun(jobName, runId(), cause == null, extra, artifacts);
        completed = new Run(run.runId(), jobName, answer.state(), run.startedAt(), answer.endedAt());
    }

    /** Streams the file to {@code <artifact bucket>/<job>/<run>/<file name>} (see {@link ArtifactUpload}). */
    private Uploaded upload(Path file) {
        List<String> object = List.of(jobName, runId(), file.getFileName().toString());
        return calls.idempotent(h -> ArtifactUpload.put(
                client.generated().lineage(), client.config().artifactBucket(), object, file, "text/plain", h));
    }

    private static TableSnapshot snapshot(Snapshot s) {
        return new TableSnapshot(
                s.getTableName(),
                s.getUri(),
                s.getFormat(),
                Json.tree(s.getSchema()),
                Json.instant(s.getCreatedAt()),
                s.getVersion(),
                s.getRunId() == null ? null : s.getRunId().toString());
    }
}
