package io.deltaplane.lineage.event;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.event.EventRecords.Event;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Repository
public class EventRepository {

    static final String INSERT = "INSERT INTO events (id, event_type, data, job_id, run_id, created_at)"
            + " VALUES (:id, :type, CAST(:data AS jsonb), :job, :run, :now)";
    // Attached to a run in one statement: the run's job comes along, and no run means no row.
    static final String INSERT_FOR_RUN = "INSERT INTO events (id, event_type, data, job_id, run_id, created_at)"
            + " SELECT :id, :type, CAST(:data AS jsonb), r.job_id, r.id, :now FROM runs r"
            + " WHERE r.id = :run AND (CAST(:job AS text) IS NULL OR r.job_id = (SELECT id FROM jobs WHERE name = :job))";
    static final String OF_RUN = "SELECT e.id, e.event_type, e.data::text AS data, j.name AS job_name, e.run_id,"
            + " e.created_at FROM events e LEFT JOIN jobs j ON j.id = e.job_id WHERE e.run_id = :run"
            + " ORDER BY e.created_at, e.id";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public EventRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
    }

    public void insert(UUID id, String type, JsonNode data, Long jobId, UUID runId, Instant now) {
        jdbc.sql(INSERT)
                .param("id", id)
                .param("type", type)
                .param("data", data == null || data.isNull() ? null : json.writeValueAsString(data))
                .param("job", jobId)
                .param("run", runId)
                .param("now", Times.utc(now))
                .update();
    }

    /** Stores an event of a run (of {@code jobName}, when given); false if there is no such run. */
    public boolean insertForRun(UUID id, String type, JsonNode data, UUID runId, String jobName, Instant now) {
        return jdbc.sql(INSERT_FOR_RUN)
                        .param("id", id)
                        .param("type", type)
                        .param("data", data == null || data.isNull() ? null : json.writeValueAsString(data))
                        .param("run", runId)
                        .param("job", jobName)
                        .param("now", Times.utc(now))
                        .update()
                == 1;
    }

    public List<Event> ofRun(UUID runId) {
        return jdbc.sql(OF_RUN)
                .param("run", runId)
                .query((rs, n) -> {
                    String data = rs.getString("data");
                    return new Event(
                            rs.getObject("id", UUID.class),
                            rs.getString("event_type"),
                            data == null ? null : json.readTree(data),
                            rs.getString("job_name"),
                            rs.getObject("run_id", UUID.class),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant());
                })
                .list();
    }
}
