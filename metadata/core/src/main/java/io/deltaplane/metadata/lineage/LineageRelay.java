package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.client.generated.lineage.model.BatchItemResult;
import io.deltaplane.client.generated.lineage.model.BatchResult;
import io.deltaplane.client.generated.lineage.model.BatchSnapshot;
import io.deltaplane.client.generated.lineage.model.NewSnapshot;
import io.deltaplane.support.request.RequestIds;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Delivers outbox rows to lineage-service, at least once: a round claims up to a batch of due rows
 * with a lease (one short statement with {@code FOR UPDATE SKIP LOCKED}, safe with several
 * replicas; no transaction is held while lineage is called) and sends them in one {@code POST
 * /api/v1/snapshots/batch}. Lineage answers per version: recorded and already recorded rows are
 * deleted, a rejected row backs off on its own (exponentially), and when the batch as a whole fails
 * (lineage unreachable, a 5xx) every row of it backs off and the round stops. Lineage is idempotent
 * on (table, version), so a lost acknowledgement costs one repeated delivery. A lineage-service that
 * does not know the batch endpoint yet (404) gets the versions one by one, {@code POST
 * /api/v1/tables/{full_name}/snapshots}. A version whose commitInfo named a lineage run goes with
 * that run as its writer (see {@link #writer}).
 */
public class LineageRelay {

    private static final Logger log = LoggerFactory.getLogger(LineageRelay.class);

    private static final String CLAIMED =
            "o.id, o.full_name, o.location, o.version, o.committed_at, o.request_id, o.run_id,"
                    + " o.writer_dropped_after, o.attempts";
    static final String CLAIM_DUE = RelayOutbox.claimDue("lineage_outbox", CLAIMED);
    static final String BATCH_PATH = "/api/v1/snapshots/batch";
    /** The earliest of the row's and this instant: from then on the version goes without its writer. */
    static final String DROP_WRITER_AFTER = "UPDATE lineage_outbox"
            + " SET writer_dropped_after = LEAST(COALESCE(writer_dropped_after, :at), :at) WHERE id = :id";

    private static final String DELTA = "delta";

    private final RelayOutbox<Pending> outbox;
    private final JdbcClient jdbc;
    private final LineageCalls lineage;
    private final LineageRelayProperties properties;
    private final Clock clock;
    private final AtomicBoolean warnedNoKey = new AtomicBoolean();
    private final AtomicBoolean warnedNoBatch = new AtomicBoolean();

    public LineageRelay(JdbcClient jdbc, LineageCalls lineage, LineageRelayProperties properties, Clock clock) {
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.outbox = new RelayOutbox<>(
                jdbc,
                "lineage_outbox",
                CLAIMED,
                (rs, n) -> new Pending(
                        rs.getLong("id"),
                        rs.getString("full_name"),
                        rs.getString("location"),
                        rs.getLong("version"),
                        rs.getObject("committed_at", OffsetDateTime.class),
                        rs.getString("request_id"),
                        rs.getObject("run_id", UUID.class),
                        rs.getObject("writer_dropped_after", OffsetDateTime.class),
                        rs.getInt("attempts")),
                Pending::id,
                Pending::attempts,
                properties,
                requireNonNull(clock, "clock"));
        this.lineage = requireNonNull(lineage, "lineage");
    }

    record Pending(
            long id,
            String fullName,
            String location,
            long version,
            OffsetDateTime committedAt,
            String requestId,
            UUID runId,
            OffsetDateTime writerDroppedAfter,
            int attempts) {}

    /**
     * What a round did.
     *
     * @param claimed rows taken from the outbox
     * @param delivered rows lineage acknowledged (recorded or already recorded), now deleted
     * @param failed rows that back off: rejected by lineage, or in a batch that failed as a whole
     * @param stopped lineage was unreachable or failed the batch as a whole
     * @param full the round claimed a whole batch and lineage answered it: more may be due now
     */
    public record Round(int claimed, int delivered, int failed, boolean stopped, boolean full) {
        static final Round IDLE = new Round(0, 0, 0, false, false);
    }

    /** One round: delivers what is due, up to a batch. */
    public Round relayDue() {
        if (!properties.hasApiKey()) {
            if (warnedNoKey.compareAndSet(false, true)) {
                log.warn("deltaplane.lineage.api-key is not set (DELTAPLANE_SERVICE_API_KEY or"
                        + " DELTAPLANE_ADMIN_API_KEY): committed versions wait in the lineage outbox");
            }
            return Round.IDLE;
        }
        List<Pending> due = outbox.claim(properties.batchSize());
        if (due.isEmpty()) {
            return Round.IDLE;
        }
        Round answered = deliverBatch(due);
        return answered != null ? answered : deliverOneByOne(due);
    }

    /** The round, or null when lineage does not know the batch endpoint. */
    private Round deliverBatch(List<Pending> due) {
        List<BatchSnapshot> versions = new ArrayList<>(due.size());
        for (Pending row : due) {
            UUID writer = writer(row);
            versions.add(new BatchSnapshot()
                    .tableName(row.fullName())
                    .uri(row.location())
                    .format(DELTA)
                    .version(row.version())
                    .createdAt(createdAt(row))
                    .runId(writer)
                    // Each version carries its commit's request id; the batch request has an id of its own.
                    .requestId(row.requestId()));
        }
        BatchResult answer;
        try {
            answer = lineage.snapshotBatch(versions, RequestIds.generate());
        } catch (LineageCalls.Failed e) {
            if (e.status() == 404 || e.status() == 405) {
                if (warnedNoBatch.compareAndSet(false, true)) {
                    log.warn(
                            "lineage-service at {} has no {} (an older version?): delivering versions one by one",
                            properties.baseUrl(),
                            BATCH_PATH);
                }
                return null;
            }
            return failAll(due, e.describe());
        }
        List<BatchItemResult> results = answer == null ? null : answer.getResults();
        if (results == null || results.size() != due.size()) {
            return failAll(due, "unexpected answer from lineage-service: " + truncate(String.valueOf(answer)));
        }
        List<Pending> delivered = new ArrayList<>(due.size());
        int failed = 0;
        for (int i = 0; i < due.size(); i++) {
            Pending row = due.get(i);
            BatchItemResult result = results.get(i);
            BatchItemResult.OutcomeEnum outcome = result.getOutcome();
            if (outcome == BatchItemResult.OutcomeEnum.RECORDED
                    || outcome == BatchItemResult.OutcomeEnum.ALREADY_RECORDED) {
                delivered.add(row);
            } else {
                failed++;
                String code = result.getErrorCode() == null ? "?" : result.getErrorCode();
                if (writer(row) != null) {
                    dropWriterOnRunRejection(row, code);
                }
                retryLater(
                        List.of(row),
                        "rejected: " + code + " " + truncate(result.getDetail() == null ? "" : result.getDetail()));
            }
        }
        outbox.delete(delivered);
        return new Round(due.size(), delivered.size(), failed, false, due.size() >= properties.batchSize());
    }

    /** The versions one by one, for a lineage-service without the batch endpoint. */
    private Round deliverOneByOne(List<Pending> due) {
        List<Pending> delivered = new ArrayList<>();
        int failed = 0;
        boolean stopped = false;
        for (Pending row : due) {
            String error = deliverOne(row);
            if (error == null) {
                delivered.add(row);
            } else {
                failed++;
                retryLater(List.of(row), error);
                if (error.startsWith("unreachable")) {
                    stopped = true;
                    break; // lineage is down: the rest stay due for the next round
                }
            }
        }
        outbox.delete(delivered);
        return new Round(
                due.size(), delivered.size(), failed, stopped, !stopped && due.size() >= properties.batchSize());
    }

    /** Null when lineage acknowledged the version, else why not. */
    private String deliverOne(Pending row) {
        NewSnapshot version = new NewSnapshot()
                .uri(row.location())
                .format(DELTA)
                .version(row.version())
                .createdAt(createdAt(row))
                .runId(writer(row));
        try {
            // The commit's request id travels with the delivery.
            lineage.snapshot(
                    row.fullName(), version, row.requestId() != null ? row.requestId() : RequestIds.generate());
            return null;
        } catch (LineageCalls.Failed e) {
            return e.describe();
        }
    }

    private static OffsetDateTime createdAt(Pending row) {
        return row.committedAt().withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * The run to name as the version's writer: the one its commitInfo named, until lineage refused it
     * ({@link #dropWriterOnRunRejection}). Null: none.
     */
    private UUID writer(Pending row) {
        if (row.runId() == null) {
            return null;
        }
        OffsetDateTime dropped = row.writerDroppedAfter();
        return dropped != null && !clock.instant().isBefore(dropped.toInstant()) ? null : row.runId();
    }

    /**
     * Lineage refused the run a version named. RUN_NOT_RUNNING: the run was not running when the
     * version was committed (another pipeline's run, or a stale id) — the version goes without a
     * writer from now on. RUN_NOT_FOUND is usual for a moment (the pipeline reports its run's start
     * on its own path, maybe late): the version waits {@code run-wait} from the first such answer,
     * then goes without a writer rather than never. Waits caused by outages do not count.
     */
    private void dropWriterOnRunRejection(Pending row, String code) {
        java.time.Instant at;
        if ("RUN_NOT_RUNNING".equals(code)) {
            at = clock.instant();
        } else if ("RUN_NOT_FOUND".equals(code)) {
            at = clock.instant().plus(properties.runWait());
        } else {
            return;
        }
        log.warn(
                "Lineage refused run {} as the writer of {} v{} ({}): the version goes without it from {}",
                row.runId(),
                row.fullName(),
                row.version(),
                code,
                at);
        jdbc.sql(DROP_WRITER_AFTER)
                .param("at", OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC))
                .param("id", row.id())
                .update();
    }

    /** The whole batch failed: every row of it backs off, and the round stops. */
    private Round failAll(List<Pending> due, String error) {
        retryLater(due, error);
        return new Round(due.size(), 0, due.size(), true, false);
    }

    /** Backs the rows off; one log line per group that shares its next attempt. */
    private void retryLater(List<Pending> rows, String error) {
        for (RelayOutbox.Retry<Pending> retry : outbox.retryLater(rows, error)) {
            Pending first = retry.rows().get(0);
            log.warn(
                    "Lineage delivery of {} v{}{} failed (attempt {}), retrying at {}: {}",
                    first.fullName(),
                    first.version(),
                    retry.rows().size() > 1 ? " and " + (retry.rows().size() - 1) + " more" : "",
                    retry.attempt(),
                    retry.next(),
                    error);
        }
    }

    Duration backoff(int attempts) {
        return outbox.backoff(attempts);
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
