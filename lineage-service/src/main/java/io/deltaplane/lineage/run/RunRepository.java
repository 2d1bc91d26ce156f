package io.deltaplane.lineage.run;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.runref.RunState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class RunRepository {

    private static final String COLUMNS = "r.id, r.job_id, j.name AS job_name, r.state, r.metadata::text AS metadata,"
            + " r.nominal_time, r.started_at, r.ended_at, r.last_heartbeat_at, r.completion::text AS completion,"
            + " r.source";

    static final String INSERT = "INSERT INTO runs (id, job_id, state, metadata, nominal_time, started_at,"
            + " heartbeat_timeout_ms, heartbeat_deadline, source) VALUES (:id, :job, :state, CAST(:metadata AS jsonb),"
            + " :nominal, :started, :timeout, :deadline, :source)";
    static final String FIND = "SELECT " + COLUMNS + " FROM runs r JOIN jobs j ON j.id = r.job_id WHERE r.id = :id";
    static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE OF r";
    static final String FINISH = "UPDATE runs SET state = :state, ended_at = :ended, completion = CAST(:completion"
            + " AS jsonb) WHERE id = :id";
    static final String HEARTBEAT = "UPDATE runs SET last_heartbeat_at = :now,"
            + " heartbeat_deadline = :now + heartbeat_timeout_ms * interval '1 millisecond'"
            + " WHERE id = :id AND state = 'RUNNING'";
    static final String ABANDON_SILENT = "UPDATE runs SET state = 'ABANDONED', ended_at = :now"
            + " WHERE state = 'RUNNING' AND heartbeat_deadline < :now";
    static final String PAGE_OF_JOB = "SELECT " + COLUMNS + " FROM runs r JOIN jobs j ON j.id = r.job_id"
            + " WHERE r.job_id = :job AND (CAST(:after_started AS timestamptz) IS NULL"
            + " OR (r.started_at, r.id) < (CAST(:after_started AS timestamptz), CAST(:after_id AS uuid)))"
            + " ORDER BY r.started_at DESC, r.id DESC LIMIT :limit";
    static final String RECENT = "SELECT " + COLUMNS + " FROM runs r JOIN jobs j ON j.id = r.job_id"
            + " WHERE (CAST(:state AS text) IS NULL OR r.state = :state)"
            + " AND (CAST(:job AS bigint) IS NULL OR r.job_id = :job)"
            + " AND (CAST(:after_started AS timestamptz) IS NULL"
            + " OR (r.started_at, r.id) < (CAST(:after_started AS timestamptz), CAST(:after_id AS uuid)))"
            + " ORDER BY r.started_at DESC, r.id DESC LIMIT :limit";
    static final String INPUT_NAMES = "SELECT DISTINCT i.run_id, t.name FROM run_inputs i"
            + " JOIN tracked_tables t ON t.id = i.table_id WHERE i.run_id IN (:runs) ORDER BY t.name";
    static final String OUTPUT_NAMES = "SELECT DISTINCT s.run_id, t.name FROM snapshots s"
            + " JOIN tracked_tables t ON t.id = s.table_id WHERE s.run_id IN (:runs) ORDER BY t.name";

    // Set-based, for a batch of OpenLineage events (OpenLineageBatchWriter; a single event is a batch
    // of one). The runs a batch names that exist, locked in one order; with the job namespace each
    // run's first event named (ExistingRun's rule needs it).
    static final String LOCK_MANY = "SELECT r.id, r.job_id, j.name AS job_name, r.state, r.completion::text AS"
            + " completion, (SELECT e.job_namespace FROM openlineage_events e WHERE e.run_id = r.id ORDER BY e.id"
            + " LIMIT 1) AS namespace FROM runs r JOIN jobs j ON j.id = r.job_id"
            + " WHERE r.id = ANY (CAST(:ids AS uuid[])) ORDER BY r.id FOR UPDATE OF r";
    // A run a batch starts is stored once, in the state the batch leaves it in (a run started and
    // completed by one batch is never updated: one row version, one entry in each of its indexes).
    static final String INSERT_MANY = "INSERT INTO runs (id, job_id, state, metadata, started_at, ended_at,"
            + " completion, heartbeat_timeout_ms, heartbeat_deadline, source) SELECT CAST(u.id AS uuid), u.job_id,"
            + " u.state, CAST(u.metadata AS jsonb), CAST(u.started_at AS timestamptz),"
            + " CAST(u.ended_at AS timestamptz), CAST(u.completion AS jsonb), :timeout, :deadline, 'openlineage'"
            + " FROM unnest(CAST(:ids AS text[]), CAST(:jobs AS bigint[]), CAST(:states AS text[]),"
            + " CAST(:metadata AS text[]), CAST(:started AS text[]), CAST(:ended AS text[]),"
            + " CAST(:completions AS text[])) AS u(id, job_id, state, metadata, started_at, ended_at, completion)"
            + " ORDER BY u.id";
    static final String FINISH_MANY = "UPDATE runs r SET state = u.state, ended_at = CAST(u.ended_at AS timestamptz),"
            + " completion = CAST(u.completion AS jsonb) FROM unnest(CAST(:ids AS text[]), CAST(:states AS text[]),"
            + " CAST(:ended AS text[]), CAST(:completions AS text[])) AS u(id, state, ended_at, completion)"
            + " WHERE r.id = CAST(u.id AS uuid)";

    /** A run a batch names that exists, as locked: its job, state, recorded completion, first namespace. */
    public record LockedRun(UUID id, long jobId, String jobName, String namespace, RunState state, String completion) {}

    /** A run a batch started, as the batch leaves it (ended ones with their end and completion). */
    public record NewRun(
            UUID id,
            long jobId,
            RunState state,
            String metadata,
            Instant startedAt,
            Instant endedAt,
            String completion) {}

    /** An existing run a batch ended. */
    public record FinishedRun(UUID id, RunState state, Instant endedAt, String completion) {}

    private final JdbcClient jdbc;

    public RunRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public void insert(
            UUID id,
            long jobId,
            String metadataJson,
            Instant nominalTime,
            Instant startedAt,
            Duration heartbeatTimeout,
            Instant heartbeatDeadline,
            String source) {
        jdbc.sql(INSERT)
                .param("id", id)
                .param("job", jobId)
                .param("state", RunState.RUNNING.name())
                .param("metadata", metadataJson)
                .param("nominal", Times.utc(nominalTime))
                .param("started", Times.utc(startedAt))
                .param("timeout", heartbeatTimeout.toMillis())
                .param("deadline", Times.utc(heartbeatDeadline))
                .param("source", source)
                .update();
    }

    public Optional<Run> find(UUID id) {
        return jdbc.sql(FIND).param("id", id).query(RunRepository::map).optional();
    }

    /** The run, locked until the transaction ends: completions of one run happen one at a time. */
    public Optional<Run> lock(UUID id) {
        return jdbc.sql(FIND_FOR_UPDATE)
                .param("id", id)
                .query(RunRepository::map)
                .optional();
    }

    public void finish(UUID id, RunState state, Instant endedAt, String completionJson) {
        jdbc.sql(FINISH)
                .param("id", id)
                .param("state", state.name())
                .param("ended", Times.utc(endedAt))
                .param("completion", completionJson)
                .update();
    }

    /** True if the run was RUNNING and its deadline moved. */
    public boolean heartbeat(UUID id, Instant now) {
        return jdbc.sql(HEARTBEAT).param("id", id).param("now", Times.utc(now)).update() == 1;
    }

    public int abandonSilent(Instant now) {
        return jdbc.sql(ABANDON_SILENT).param("now", Times.utc(now)).update();
    }

    public List<Run> pageOfJob(long jobId, Instant afterStarted, UUID afterId, int limit) {
        return jdbc.sql(PAGE_OF_JOB)
                .param("job", jobId)
                .param("after_started", Times.utc(afterStarted))
                .param("after_id", afterId)
                .param("limit", limit)
                .query(RunRepository::map)
                .list();
    }

    /** Runs across jobs, newest first; {@code state} and {@code jobId} narrow it when not null. */
    public List<Run> recent(RunState state, Long jobId, Instant afterStarted, UUID afterId, int limit) {
        return jdbc.sql(RECENT)
                .param("state", state == null ? null : state.name())
                .param("job", jobId)
                .param("after_started", Times.utc(afterStarted))
                .param("after_id", afterId)
                .param("limit", limit)
                .query(RunRepository::map)
                .list();
    }

    /** The names of the tables each run read (one query for a whole page). */
    public Map<UUID, List<String>> inputNames(Collection<UUID> runIds) {
        return names(INPUT_NAMES, runIds);
    }

    /** The names of the tables each run wrote a snapshot of (one query for a whole page). */
    public Map<UUID, List<String>> outputNames(Collection<UUID> runIds) {
        return names(OUTPUT_NAMES, runIds);
    }

    private Map<UUID, List<String>> names(String sql, Collection<UUID> runIds) {
        Map<UUID, List<String>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        jdbc.sql(sql).param("runs", runIds).query((RowCallbackHandler)
                rs -> out.computeIfAbsent(rs.getObject("run_id", UUID.class), k -> new ArrayList<>())
                        .add(rs.getString("name")));
        return out;
    }

    /** Locks the runs among {@code ids} that exist, in id order (so concurrent batches never deadlock). */
    public Map<UUID, LockedRun> lockAll(Collection<UUID> ids) {
        Map<UUID, LockedRun> runs = new HashMap<>();
        jdbc.sql(LOCK_MANY).param("ids", SetWrite.uuids(new TreeSet<>(ids))).query((RowCallbackHandler) rs -> {
            UUID id = rs.getObject("id", UUID.class);
            runs.put(
                    id,
                    new LockedRun(
                            id,
                            rs.getLong("job_id"),
                            rs.getString("job_name"),
                            rs.getString("namespace"),
                            RunState.valueOf(rs.getString("state")),
                            rs.getString("completion")));
        });
        return runs;
    }

    /**
     * Stores runs an OpenLineage batch started; silence counts from {@code deadline} on (when we
     * heard of them: an OpenLineage START may be old news).
     */
    public SetWrite insertMany(List<NewRun> runs, Duration heartbeatTimeout, Instant deadline) {
        return new SetWrite(
                INSERT_MANY,
                Map.of(
                        "ids", SetWrite.uuids(runs.stream().map(NewRun::id).toList()),
                        "jobs",
                                SetWrite.array(
                                        "bigint",
                                        runs.stream().map(NewRun::jobId).toList()),
                        "states",
                                SetWrite.array(
                                        "text",
                                        runs.stream().map(r -> r.state().name()).toList()),
                        "metadata",
                                SetWrite.array(
                                        "text",
                                        runs.stream().map(NewRun::metadata).toList()),
                        "started",
                                SetWrite.array(
                                        "text",
                                        runs.stream()
                                                .map(r -> Times.text(r.startedAt()))
                                                .toList()),
                        "ended",
                                SetWrite.array(
                                        "text",
                                        runs.stream()
                                                .map(r -> Times.text(r.endedAt()))
                                                .toList()),
                        "completions",
                                SetWrite.array(
                                        "text",
                                        runs.stream().map(NewRun::completion).toList()),
                        "timeout", heartbeatTimeout.toMillis(),
                        "deadline", Times.utc(deadline)));
    }

    /** Ends existing runs an OpenLineage batch ended. */
    public SetWrite finishMany(List<FinishedRun> runs) {
        return new SetWrite(
                FINISH_MANY,
                Map.of(
                        "ids", SetWrite.uuids(runs.stream().map(FinishedRun::id).toList()),
                        "states",
                                SetWrite.array(
                                        "text",
                                        runs.stream().map(r -> r.state().name()).toList()),
                        "ended",
                                SetWrite.array(
                                        "text",
                                        runs.stream()
                                                .map(r -> Times.text(r.endedAt()))
                                                .toList()),
                        "completions",
                                SetWrite.array(
                                        "text",
                                        runs.stream()
                                                .map(FinishedRun::completion)
                                                .toList())));
    }

    private static Run map(ResultSet rs, int row) throws SQLException {
        return new Run(
                rs.getObject("id", UUID.class),
                rs.getLong("job_id"),
                rs.getString("job_name"),
                RunState.valueOf(rs.getString("state")),
                rs.getString("metadata"),
                Times.instant(rs.getObject("nominal_time", OffsetDateTime.class)),
                rs.getObject("started_at", OffsetDateTime.class).toInstant(),
                Times.instant(rs.getObject("ended_at", OffsetDateTime.class)),
                Times.instant(rs.getObject("last_heartbeat_at", OffsetDateTime.class)),
                rs.getString("completion"),
                rs.getString("source"));
    }
}
