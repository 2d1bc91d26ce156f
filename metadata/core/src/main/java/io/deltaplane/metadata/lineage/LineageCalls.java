package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.GeneratedApis;
import io.deltaplane.client.generated.lineage.api.LineageApi;
import io.deltaplane.client.generated.lineage.api.SnapshotsApi;
import io.deltaplane.client.generated.lineage.api.TablesApi;
import io.deltaplane.client.generated.lineage.model.BatchResult;
import io.deltaplane.client.generated.lineage.model.BatchSnapshot;
import io.deltaplane.client.generated.lineage.model.NewSnapshot;
import io.deltaplane.client.generated.lineage.model.SnapshotBatch;
import io.deltaplane.support.request.RequestIds;
import java.util.List;
import java.util.Map;

/**
 * lineage-service as the relays call it: the Java client generated from the committed contract
 * ({@code platform-api/openapi/lineage.json}), with the relay's service key, one attempt per call
 * (the relays back off on their own, per outbox row) and {@code deltaplane.lineage.request-timeout}
 * bounding the connection and the answer. Every call names its request id. A call lineage did not
 * answer, or answered with an error, throws {@link Failed}. The generated client sends a body as one
 * byte array on the JDK's {@code HttpClient}: no thread of its own per request.
 */
public final class LineageCalls implements AutoCloseable {

    /** Null without an API key: the relays then call nothing (they check the key first). */
    private final Deltaplane client;

    private final SnapshotsApi snapshots;
    private final TablesApi tables;
    private final LineageApi openLineage;
    private final io.deltaplane.client.generated.lineage.api.JobsApi jobs;

    /** A client of the lineage-service {@code properties} name, with its key. */
    public LineageCalls(LineageRelayProperties properties) {
        requireNonNull(properties, "properties");
        this.client = properties.hasApiKey()
                ? Deltaplane.builder()
                        .url(properties.baseUrl().toString())
                        .apiKey(properties.apiKey())
                        .timeout(properties.requestTimeout())
                        .connectTimeout(properties.requestTimeout())
                        .maxAttempts(1)
                        .build()
                : null;
        this.snapshots =
                client == null ? null : new SnapshotsApi(client.generated().lineage());
        this.tables = client == null ? null : new TablesApi(client.generated().lineage());
        this.openLineage =
                client == null ? null : new LineageApi(client.generated().lineage());
        this.jobs = client == null
                ? null
                : new io.deltaplane.client.generated.lineage.api.JobsApi(
                        client.generated().lineage());
    }

    /** {@code POST /api/v1/snapshots/batch}: lineage's answer per version, in order. */
    BatchResult snapshotBatch(List<BatchSnapshot> versions, String requestId) {
        SnapshotBatch body = new SnapshotBatch().snapshots(versions);
        return call(() -> snapshots.postSnapshotsBatch(body, headers(requestId)));
    }

    /** {@code POST /api/v1/tables/{full_name}/snapshots}: one version. */
    void snapshot(String fullName, NewSnapshot version, String requestId) {
        call(() -> tables.postTablesByTableNameSnapshots(fullName, version, headers(requestId)));
    }

    /**
     * {@code POST /api/v1/lineage}: one OpenLineage run event, as plain maps, lists, strings and
     * numbers (the client serialises it with its own JSON library).
     */
    void runEvent(Map<String, Object> event, String requestId) {
        call(() -> openLineage.postLineage(event, headers(requestId)));
    }

    /**
     * {@code GET /api/v1/lineage?node=table:<t>&direction=upstream}: the tables and jobs {@code
     * table} is made from, {@code depth} steps up, as lineage's graph; empty when lineage is not
     * called (no key). What the health evaluator walks to name the cause of a late table.
     */
    public java.util.Optional<io.deltaplane.client.generated.lineage.model.Graph> upstream(
            String table, int depth, String requestId) {
        if (client == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(
                call(() -> openLineage.getLineage("table:" + table, depth, "upstream", null, headers(requestId))));
    }

    /**
     * {@code GET /api/v1/jobs/{job}/health}: whether the job's runs fail, run long or are overdue;
     * empty when lineage is not called (no key). What the health evaluator asks of the jobs that
     * write a late table.
     */
    public java.util.Optional<io.deltaplane.client.generated.lineage.model.JobHealth> jobHealth(
            String job, String requestId) {
        if (client == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(call(() -> jobs.getJobsByJobNameHealth(job, headers(requestId))));
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    private static Map<String, String> headers(String requestId) {
        return Map.of(RequestIds.HEADER, requestId);
    }

    private <T> T call(GeneratedApis.GeneratedCall<T> call) {
        if (client == null) {
            throw new IllegalStateException("deltaplane.lineage.api-key is not set: lineage is not called");
        }
        try {
            return client.generated().call(call);
        } catch (DeltaplaneException e) {
            throw new Failed(e);
        }
    }

    /** A call that did not succeed: no answer ({@link #unanswered}), or lineage's error status. */
    static final class Failed extends RuntimeException {

        private final int status;
        private final String errorCode;

        Failed(DeltaplaneException cause) {
            super(cause.getMessage(), cause);
            this.status = cause.status();
            this.errorCode = cause.errorCode() == null ? "" : cause.errorCode();
        }

        /** Lineage did not answer (unreachable, or no answer within the timeout). */
        boolean unanswered() {
            return status == 0;
        }

        /** The HTTP status lineage answered; 0 when it did not answer. */
        int status() {
            return status;
        }

        /** The problem's {@code error_code}; empty when the answer had none. */
        String errorCode() {
            return errorCode;
        }

        /** How the outbox row records it: {@code unreachable: …} or {@code HTTP <status> <code>: …}. */
        String describe() {
            String message = getMessage() == null ? "" : getMessage();
            String text = unanswered()
                    ? "unreachable: " + message
                    : "HTTP " + status + (errorCode.isEmpty() ? "" : " " + errorCode) + ": " + message;
            return text.length() > 500 ? text.substring(0, 500) : text;
        }
    }
}
