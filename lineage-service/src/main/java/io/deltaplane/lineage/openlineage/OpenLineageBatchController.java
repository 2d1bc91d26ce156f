package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/lineage/batch}: many OpenLineage RunEvents in one request, for producers that
 * buffer (OpenLineage's composite and buffered transports, a scheduler flushing its queue). Each
 * event is applied on its own, in order, exactly as {@code POST /api/v1/lineage} would: one bad event
 * is REJECTED with the error it would get alone and the others still land (a batch in which no event
 * is accepted, or an element is not a JSON object, is a 400). A batch is first applied whole by
 * {@link OpenLineageBatchWriter} (a handful of set-based statements, one transaction, one commit);
 * only when that fails (an event is bad, or only the event-by-event path can answer it exactly) is it
 * redone event by event, each in its own transaction, so a failure touches nothing else.
 */
@RestController
public class OpenLineageBatchController {

    /** The most events one request may carry. */
    public static final int MAX_EVENTS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageBatchController.class);

    private final OpenLineageService openLineage;
    private final OpenLineageBatchWriter writer;
    private final TransactionTemplate oneTransaction;
    private final DatasetAccess access;

    public OpenLineageBatchController(
            OpenLineageService openLineage,
            OpenLineageBatchWriter writer,
            PlatformTransactionManager transactions,
            DatasetAccess access) {
        this.access = requireNonNull(access, "access");
        this.openLineage = requireNonNull(openLineage, "openLineage");
        this.writer = requireNonNull(writer, "writer");
        this.oneTransaction = new TransactionTemplate(requireNonNull(transactions, "transactions"));
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
        try {
            List<OpenLineageService.Accepted> applied = oneTransaction.execute(status -> writer.apply(batch));
            List<EventResult> all = new ArrayList<>(applied.size());
            for (int i = 0; i < applied.size(); i++) {
                all.add(accepted(i, applied.get(i)));
            }
            return new BatchResult(all.size(), 0, all);
        } catch (RuntimeException notAsAWhole) {
            // Rolled back as a whole: apply them one by one, so only the failing ones are REJECTED.
            LOG.debug("batch of {} events applied event by event: {}", batch.size(), notAsAWhole.toString());
            return oneByOne(events);
        }
    }

    private static EventResult accepted(int index, OpenLineageService.Accepted a) {
        return new EventResult(
                index, "ACCEPTED", a.runId(), a.jobName(), a.state().name(), null, null);
    }

    static final String UNSTORABLE = "A value is outside what the platform can store (for example a timestamp"
            + " beyond what Postgres holds, or a number out of range).";

    // Postgres refused a value as data (SQLSTATE class 22), or Java could not represent a date.
    private static boolean refusedAsData(RuntimeException e) {
        if (e instanceof DateTimeException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private BatchResult oneByOne(JsonNode events) {
        List<EventResult> results = new ArrayList<>(events.size());
        int accepted = 0;
        for (int i = 0; i < events.size(); i++) {
            try {
                results.add(accepted(i, openLineage.accept(events.get(i))));
                accepted++;
            } catch (ApiException e) {
                results.add(new EventResult(i, "REJECTED", null, null, null, e.errorCode(), e.getMessage()));
            } catch (DataAccessException | DateTimeException e) {
                if (!refusedAsData(e)) {
                    throw e; // the database is down or broken: not this event's fault
                }
                // Alone it would be a 400 (ProblemExceptionHandler): here it is this event's rejection.
                results.add(new EventResult(i, "REJECTED", null, null, null, ErrorCode.BAD_REQUEST.code(), UNSTORABLE));
            }
        }
        if (accepted == 0) {
            // Nothing landed: the request as a whole was bad, and says why for each event.
            throw new ApiException(
                    ErrorCode.INVALID_OPENLINEAGE_EVENT,
                    "No event of the batch was accepted; event 0: "
                            + results.get(0).detail(),
                    java.util.Map.of("results", results));
        }
        return new BatchResult(accepted, events.size() - accepted, results);
    }
}
