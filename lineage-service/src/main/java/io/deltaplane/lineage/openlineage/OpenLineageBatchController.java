package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/lineage/batch}: many OpenLineage RunEvents in one request, for producers that
 * buffer (OpenLineage's composite and buffered transports, a scheduler flushing its queue). Each
 * event is applied on its own, in order, exactly as {@code POST /api/v1/lineage} would: one bad event
 * is REJECTED with the error it would get alone and the others still land.
 */
@RestController
public class OpenLineageBatchController {

    /** The most events one request may carry. */
    public static final int MAX_EVENTS = 1_000;

    private final OpenLineageService openLineage;

    public OpenLineageBatchController(OpenLineageService openLineage) {
        this.openLineage = requireNonNull(openLineage, "openLineage");
    }

    /** What became of one event of the batch. */
    public record EventResult(
            int index, String status, UUID runId, String jobName, String state, String errorCode, String detail) {}

    /** The answer: one result per event, in the order sent. */
    public record BatchResult(int accepted, int rejected, List<EventResult> results) {}

    @PostMapping("/api/v1/lineage/batch")
    public BatchResult accept(@RequestBody JsonNode events) {
        if (events == null || !events.isArray()) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_OPENLINEAGE_EVENT, "The body must be a JSON array of OpenLineage RunEvents.");
        }
        if (events.isEmpty() || events.size() > MAX_EVENTS) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_OPENLINEAGE_EVENT,
                    "A batch holds 1 to " + MAX_EVENTS + " events, got " + events.size() + ".");
        }
        List<EventResult> results = new ArrayList<>(events.size());
        int accepted = 0;
        for (int i = 0; i < events.size(); i++) {
            try {
                OpenLineageService.Accepted a = openLineage.accept(events.get(i));
                results.add(new EventResult(
                        i, "ACCEPTED", a.runId(), a.jobName(), a.state().name(), null, null));
                accepted++;
            } catch (ApiException e) {
                results.add(new EventResult(i, "REJECTED", null, null, null, e.errorCode(), e.getMessage()));
            }
        }
        return new BatchResult(accepted, events.size() - accepted, results);
    }
}
