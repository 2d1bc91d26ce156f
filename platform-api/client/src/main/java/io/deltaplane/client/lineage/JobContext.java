package io.deltaplane.client.lineage;

import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.internal.Transport;
import io.deltaplane.client.model.Artifact;
import io.deltaplane.client.model.Run;
import io.deltaplane.client.model.TableSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final Deltaplane client;
    private final Transport transport;
    private final String jobName;
    private final Run run;
    private final ScheduledFuture<?> heartbeat;
    private final List<Path> logs = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Throwable failure;
    private volatile Run completed;

    private JobContext(
            Deltaplane client, Transport transport, ScheduledExecutorService scheduler, String jobName, Run run) {
        this.client = client;
        this.transport = transport;
        this.jobName = jobName;
        this.run = run;
        long every = client.config().heartbeatInterval().toMillis();
        this.heartbeat = scheduler.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts the run; used by {@link Deltaplane#startJob}. */
    public static JobContext start(
            Deltaplane client,
            Transport transport,
            ScheduledExecutorService scheduler,
            String jobName,
            Map<String, ?> metadata) {
        Run run = client.jobs().startRun(jobName, metadata);
        return new JobContext(client, transport, scheduler, jobName, run);
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
        return transport.get(
                "/api/v1/tables/" + Transport.segment(tableName) + "/snapshots/latest"
                        + Transport.query(Map.of("run_id", runId())),
                TableSnapshot.class);
    }

    /** Where the latest snapshot of a table lives (its URI), recording this run as a reader. */
    public String getTableLatestUri(String tableName) {
        return getTableLatest(tableName).uri();
    }

    /** Records a snapshot this run wrote (an output edge). */
    public TableSnapshot registerSnapshot(String tableName, String uri, String format, Object schema) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("table_name", Objects.requireNonNull(tableName, "tableName"));
        body.put("uri", Objects.requireNonNull(uri, "uri"));
        body.put("format", Objects.requireNonNull(format, "format"));
        body.put("schema", schema);
        body.put("job_name", jobName);
        body.put("run_id", runId());
        return transport.send("POST", "/api/v1/jobs/register-snapshot", body, TableSnapshot.class);
    }

    public TableSnapshot registerSnapshot(String tableName, String uri, String format) {
        return registerSnapshot(tableName, uri, format, null);
    }

    /** Broadcasts an event of this run; returns its id. */
    public String logEvent(String eventType, Map<String, ?> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event_type", Objects.requireNonNull(eventType, "eventType"));
        body.put("data", data == null ? Map.of() : data);
        body.put("job_name", jobName);
        body.put("run_id", runId());
        Map<?, ?> answer = transport.send("POST", "/api/v1/events/broadcast", body, Map.class);
        Object id = answer == null ? null : answer.get("event_id");
        return id == null ? null : id.toString();
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
            transport.send(
                    "POST",
                    "/api/v1/jobs/" + Transport.segment(jobName) + "/runs/" + Transport.segment(runId()) + "/heartbeat",
                    null,
                    Void.class,
                    false);
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
                    Artifact artifact = transport.upload(
                            "PUT",
                            "/api/v1/datasets/"
                                    + Transport.segment(client.config().artifactBucket()) + "/"
                                    + Transport.segment(jobName) + "/" + Transport.segment(runId()) + "/"
                                    + Transport.segment(file.getFileName().toString()),
                            file,
                            "text/plain",
                            Artifact.class);
                    artifacts.add(Map.of("type", "log", "uri", artifact.uri()));
                } catch (DeltaplaneException e) {
                    log.warn("Could not upload log {} of run {}: {}", file, runId(), e.getMessage());
                    extra.put("log_upload_error", e.getMessage());
                }
            }
        }
        Throwable cause = failure;
        if (cause != null) {
            extra.put("error", cause.getClass().getName() + ": " + cause.getMessage());
        }
        completed = client.jobs().completeRun(jobName, runId(), cause == null, extra, artifacts);
    }
}
