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
