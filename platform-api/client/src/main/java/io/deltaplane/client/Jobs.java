package io.deltaplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.internal.Transport;
import io.deltaplane.client.model.Job;
import io.deltaplane.client.model.Run;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Jobs and runs in lineage-service: {@code list/get}, runs, and the raw run lifecycle (most
 * pipelines use {@link Deltaplane#runJob} or {@link Deltaplane#startJob} instead).
 */
public final class Jobs {
    private final Deltaplane client;
    private final Transport transport;

    Jobs(Deltaplane client, Transport transport) {
        this.client = client;
        this.transport = transport;
    }

    public List<Job> list() {
        return Lists.items(transport.get("/api/v1/jobs", JsonNode.class), "jobs", JsonNode.class).stream()
                .map(j -> new Job(j.path("name").asText(j.path("job_name").asText(null)), j))
                .toList();
    }

    public Job get(String name) {
        JsonNode job = transport.get("/api/v1/jobs/" + Transport.segment(Names.checkJob(name)), JsonNode.class);
        return new Job(name, job);
    }

    public List<Run> runs(String jobName) {
        return Lists.items(
                transport.get("/api/v1/jobs/" + Transport.segment(Names.checkJob(jobName)) + "/runs", JsonNode.class),
                "runs",
                Run.class);
    }

    /** A run with its events, inputs, outputs and artifacts. */
    public JsonNode run(String runId) {
        return transport.get("/api/v1/runs/" + Transport.segment(runId), JsonNode.class);
    }

    public Run startRun(String jobName, Map<String, ?> metadata) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("metadata", metadata == null ? Map.of() : metadata);
        return transport.send(
                "POST", "/api/v1/jobs/" + Transport.segment(Names.checkJob(jobName)) + "/runs", body, Run.class);
    }

    public Run completeRun(
            String jobName, String runId, boolean success, Map<String, ?> extra, List<Map<String, String>> artifacts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", success);
        body.put("extra", extra);
        body.put("artifacts", artifacts);
        return transport.send(
                "PUT",
                "/api/v1/jobs/" + Transport.segment(Names.checkJob(jobName)) + "/runs/" + Transport.segment(runId)
                        + "/complete",
                body,
                Run.class);
    }

    public CompletableFuture<List<Job>> listAsync() {
        return client.async(this::list);
    }

    public CompletableFuture<Job> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<List<Run>> runsAsync(String jobName) {
        return client.async(() -> runs(jobName));
    }
}
