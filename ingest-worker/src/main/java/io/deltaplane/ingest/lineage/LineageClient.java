package io.deltaplane.ingest.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.GeneratedApis;
import io.deltaplane.client.generated.lineage.api.JobsApi;
import io.deltaplane.client.generated.lineage.api.LineageApi;
import io.deltaplane.client.generated.lineage.invoker.ApiResponse;
import io.deltaplane.ingest.config.ServiceClients;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * The worker's calls to lineage-service, with the worker's service key, made with the Java client
 * generated from the committed contract ({@code platform-api/openapi/lineage.json}). Each answers the
 * status: 2xx, or the 4xx of a report lineage refused (retrying it would not help); no answer or a
 * 5xx is an {@link IOException}, and the report is sent again later.
 */
final class LineageClient implements AutoCloseable {

    private final Deltaplane client;
    private final LineageApi lineage;
    private final JobsApi jobs;
    private final ObjectMapper contract;

    /** {@code apiKey}: the worker's service key (not blank: without one the worker reports no lineage). */
    LineageClient(URI baseUrl, String apiKey, Duration timeout) {
        this.client = ServiceClients.open(baseUrl, apiKey, timeout);
        this.lineage = new LineageApi(client.generated().lineage());
        this.jobs = new JobsApi(client.generated().lineage());
        this.contract = client.generated().lineage().getObjectMapper();
    }

    /** {@code POST /api/v1/lineage}: one OpenLineage run event, as JSON. */
    int event(String openLineageEvent) throws IOException {
        Object event = contract.readValue(openLineageEvent, Map.class);
        return status(() -> lineage.postLineageWithHttpInfo(event));
    }

    /** {@code POST /api/v1/jobs/{job}/runs/{run}/heartbeat}: the run is still going. */
    int heartbeat(String job, UUID run) throws IOException {
        return status(() -> jobs.postJobsByJobNameRunsByRunIdHeartbeatWithHttpInfo(job, run));
    }

    @Override
    public void close() {
        client.close();
    }

    private int status(GeneratedApis.GeneratedCall<? extends ApiResponse<?>> call) throws IOException {
        try {
            return client.generated().call(call).getStatusCode();
        } catch (DeltaplaneException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return e.status();
            }
            throw new IOException(
                    e.status() == 0
                            ? "lineage-service did not answer: " + e.getMessage()
                            : "lineage-service answered " + e.status() + ": " + e.getMessage(),
                    e);
        }
    }
}
