package io.deltaplane.ingest.status;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.sink.SinkTotals.Counts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the workers tell each other how their mappings are doing ({@code ingest.worker_status}, of
 * which this is the only writer): each worker's own status of each mapping, renewed every status
 * interval, and what each writer of the warehouse wrote in all. The status endpoint, answered by
 * whichever worker a request reaches, adds them up ({@link WorkerStatuses}). Times are Postgres's
 * own, so workers' clocks never disagree about whether a report still holds.
 */
@Repository
public class StatusBoard {

    static final String REPORT = """
            INSERT INTO worker_status AS w
                (mapping, worker, status, rows, dead_letters, batches, reported_at, live_until)
            VALUES (:mapping, :worker, CAST(:status AS jsonb), :rows, :dead, :batches, now(), now() + make_interval(secs => :liveForSeconds))
            ON CONFLICT (mapping, worker) DO UPDATE SET
                status = excluded.status,
                rows = GREATEST(w.rows, excluded.rows),
                dead_letters = GREATEST(w.dead_letters, excluded.dead_letters),
                batches = GREATEST(w.batches, excluded.batches),
                reported_at = excluded.reported_at,
                live_until = excluded.live_until
            """;
    /** What another writer wrote, as this worker read it from the warehouse: raises its figures, nothing else. */
    static final String KNOWN_TOTALS = """
            INSERT INTO worker_status AS w (mapping, worker, rows, dead_letters, batches)
            VALUES (:mapping, :worker, :rows, :dead, :batches)
            ON CONFLICT (mapping, worker) DO UPDATE SET
                rows = GREATEST(w.rows, excluded.rows),
                dead_letters = GREATEST(w.dead_letters, excluded.dead_letters),
                batches = GREATEST(w.batches, excluded.batches)
            """;

    static final String LEAVE =
            "UPDATE worker_status SET live_until = now() WHERE worker = :worker AND live_until > now()";
    static final String FORGET_DELETED_MAPPINGS =
            "DELETE FROM worker_status w WHERE NOT EXISTS (SELECT 1 FROM mappings m WHERE m.name = w.mapping)";
    static final String READ = """
            SELECT worker, status, rows, dead_letters, batches, reported_at, coalesce(live_until > now(), false) AS live
            FROM worker_status WHERE mapping = :mapping ORDER BY worker
            """;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    public StatusBoard(JdbcClient jdbc, TransactionTemplate tx, JsonMapper json) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.tx = requireNonNull(tx, "tx");
        this.json = requireNonNull(json, "json");
    }

    /** One worker's reports on its mappings, each holding for {@code liveFor}, in one transaction. */
    public void report(String worker, Map<String, Report> reports, Duration liveFor) {
        tx.executeWithoutResult(status -> reports.forEach((mapping, report) -> {
            jdbc.sql(REPORT)
                    .param("mapping", mapping)
                    .param("worker", worker)
                    .param("status", json.writeValueAsString(report.status()))
                    .param("rows", report.written().rows())
                    .param("dead", report.written().deadLetters())
                    .param("batches", report.written().batches())
                    .param("liveForSeconds", liveFor.toMillis() / 1000.0)
                    .update();
            report.otherWriters()
                    .forEach((writer, counts) -> jdbc.sql(KNOWN_TOTALS)
                            .param("mapping", mapping)
                            .param("worker", writer)
                            .param("rows", counts.rows())
                            .param("dead", counts.deadLetters())
                            .param("batches", counts.batches())
                            .update());
        }));
    }

    /**
     * What a worker says of one mapping: its own status, what it wrote in all, and the other writers'
     * totals it read from the warehouse since it last said so (empty: nothing new).
     */
    public record Report(MappingStatus status, Counts written, Map<String, Counts> otherWriters) {
        public Report {
            requireNonNull(status, "status");
            requireNonNull(written, "written");
            otherWriters = Map.copyOf(otherWriters);
        }
    }

    /** The worker stops: its reports no longer hold (what it wrote stays counted). */
    public void leave(String worker) {
        jdbc.sql(LEAVE).param("worker", worker).update();
    }

    /** Drops the reports on mappings that were deleted; answers how many. */
    public int forgetDeletedMappings() {
        return jdbc.sql(FORGET_DELETED_MAPPINGS).update();
    }

    /** Every worker's last report on {@code mapping}, live or not. */
    public List<WorkerReport> reports(String mapping) {
        return jdbc.sql(READ).param("mapping", mapping).query(this::row).list();
    }

    private WorkerReport row(ResultSet rs, int rowNum) throws SQLException {
        String status = rs.getString("status");
        Timestamp reported = rs.getTimestamp("reported_at");
        return new WorkerReport(
                rs.getString("worker"),
                status == null ? null : json.readValue(status, MappingStatus.class),
                new Counts(rs.getLong("rows"), rs.getLong("dead_letters"), rs.getLong("batches")),
                reported == null ? null : reported.toInstant(),
                rs.getBoolean("live"));
    }
}
