package io.deltaplane.lineage.openlineage;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Repository;

/** OpenLineage events exactly as received, for replay and audit; the event times as {@link Times#text}. */
@Repository
public class OpenLineageRepository {

    static final String INSERT_MANY = "INSERT INTO openlineage_events (run_id, event_type, event_time,"
            + " job_namespace, job_name, payload, received_at) SELECT CAST(u.run_id AS uuid), u.type,"
            + " CAST(u.event_time AS timestamptz), u.namespace, u.job, CAST(u.payload AS jsonb), :now"
            + " FROM unnest(CAST(:runs AS text[]), CAST(:types AS text[]), CAST(:times AS text[]),"
            + " CAST(:namespaces AS text[]), CAST(:jobs AS text[]), CAST(:payloads AS text[]))"
            + " WITH ORDINALITY AS u(run_id, type, event_time, namespace, job, payload, n) ORDER BY u.n";

    /** One event as received, for {@link #insertMany}. */
    public record Received(
            UUID runId, String type, Instant eventTime, String namespace, String jobName, String payload) {}

    /** Keeps a batch's events in their order (run by {@link io.deltaplane.lineage.common.CombinedWrites}). */
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
                                                .map(e -> Times.text(e.eventTime()))
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
}
