package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/lineage/batch}: many OpenLineage RunEvents in one request, for producers that
 * buffer (OpenLineage's composite and buffered transports, a scheduler flushing its queue). Each
 * event is applied in order, exactly as {@code POST /api/v1/lineage} would apply it: one bad event is
 * REJECTED with the error it would get alone and the others still land (a batch in which no event is
 * accepted, or an element is not a JSON object, is a 400). The batch goes through the same path as a
 * single event, {@link OpenLineageService#acceptAll}: applied whole in one transaction, or, when an
 * event fails that, event by event, each a batch of one in its own transaction.
 */
@RestController
public class OpenLineageBatchController {

    /** The most events one request may carry. */
    public static final int MAX_EVENTS = 1_000;

    private final OpenLineageService openLineage;
    private final DatasetAccess access;

    public OpenLineageBatchController(OpenLineageService openLineage, DatasetAccess access) {
        this.openLineage = requireNonNull(openLineage, "openLineage");
        this.access = requireNonNull(access, "access");
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
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).isObject()) {
                throw ApiException.badRequest(
                        ErrorCode.INVALID_OPENLINEAGE_EVENT,
                        "Event " + i + " of the batch is not a JSON object (an OpenLineage RunEvent).");
            }
        }
        // every event's written tables, before any event is applied: all or nothing
        events.forEach(access::requireWriteOutputs);
        List<JsonNode> batch = new ArrayList<>(events.size());
        events.forEach(batch::add);
        List<OpenLineageService.Outcome> outcomes = openLineage.acceptAll(batch);
        List<EventResult> results = new ArrayList<>(outcomes.size());
        int accepted = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            OpenLineageService.Outcome outcome = outcomes.get(i);
            if (outcome.isAccepted()) {
                OpenLineageService.Accepted a = outcome.accepted();
                results.add(new EventResult(
                        i, "ACCEPTED", a.runId(), a.jobName(), a.state().name(), null, null));
                accepted++;
            } else {
                results.add(new EventResult(i, "REJECTED", null, null, null, outcome.errorCode(), outcome.detail()));
            }
        }
        if (accepted == 0) {
            // Nothing landed: the request as a whole was bad, and says why for each event.
            throw new ApiException(
                    ErrorCode.INVALID_OPENLINEAGE_EVENT,
                    "No event of the batch was accepted; event 0: "
                            + results.get(0).detail(),
                    Map.of("results", results));
        }
        return new BatchResult(accepted, results.size() - accepted, results);
    }
}
