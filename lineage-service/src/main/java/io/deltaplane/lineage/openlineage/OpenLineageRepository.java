package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** OpenLineage events exactly as received, for replay and audit. */
@Repository
public class OpenLineageRepository {

    static final String INSERT = "INSERT INTO openlineage_events (run_id, event_type, event_time, job_namespace,"
            + " job_name, payload, received_at) VALUES (:run, :type, :time, :namespace, :job, CAST(:payload AS jsonb),"
            + " :now)";
    static final String FIRST_NAMESPACE =
            "SELECT job_namespace FROM openlineage_events WHERE run_id = :run ORDER BY id LIMIT 1";
    static final String OF_RUN = "SELECT payload::text FROM openlineage_events WHERE run_id = :run ORDER BY id";

    static final String INSERT_MANY = "INSERT INTO openlineage_events (run_id, event_type, event_time,"
            + " job_namespace, job_name, payload, received_at) SELECT CAST(u.run_id AS uuid), u.type,"
            + " CAST(u.event_time AS timestamptz), u.namespace, u.job, CAST(u.payload AS jsonb), :now"
            + " FROM unnest(CAST(:runs AS text[]), CAST(:types AS text[]), CAST(:times AS text[]),"
            + " CAST(:namespaces AS text[]), CAST(:jobs AS text[]), CAST(:payloads AS text[]))"
            + " WITH ORDINALITY AS u(run_id, type, event_time, namespace, job, payload, n) ORDER BY u.n";

    /** One event as received, for {@link #insertMany}. */
    public record Received(
            UUID runId, String type, Instant eventTime, String namespace, String jobName, String payload) {}

    private final JdbcClient jdbc;

    public OpenLineageRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public void insert(
            UUID runId, String type, Instant eventTime, String namespace, String job, String payload, Instant now) {
        jdbc.sql(INSERT)
                .param("run", runId)
                .param("type", type)
                .param("time", Times.utc(eventTime))
                .param("namespace", namespace)
                .param("job", job)
                .param("payload", payload)
                .param("now", Times.utc(now))
                .update();
    }

    /** The job namespace the run's first event named; null for a run no event started. */
    /** Keeps a batch's events in their order. */
    public SetWrite insertMany(List<Received> events, Instant now) {
        return new SetWrite(
                INSERT_MANY,
                Map.of(
                        "runs",
                                SetWrite.uuids(
                                        events.stream().map(Received::runId).toList()),
                        "types",
                                SetWrite.array(
                                        "text",
                                        events.stream().map(Received::type).toList()),
                        "times",
                                SetWrite.array(
                                        "text",
                                        events.stream()
                                                .map(e -> e.eventTime().toString())
                                                .toList()),
                        "namespaces",
                                SetWrite.array(
                                        "text",
                                        events.stream().map(Received::namespace).toList()),
                        "jobs",
                                SetWrite.array(
                                        "text",
                                        events.stream().map(Received::jobName).toList()),
                        "payloads",
                                SetWrite.array(
                                        "text",
                                        events.stream().map(Received::payload).toList()),
                        "now", Times.utc(now)));
    }

    public String firstNamespace(UUID runId) {
        return jdbc.sql(FIRST_NAMESPACE)
                .param("run", runId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    public List<String> ofRun(UUID runId) {
        return jdbc.sql(OF_RUN).param("run", runId).query(String.class).list();
    }
}
