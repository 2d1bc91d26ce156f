package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.runref.RunState;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The one way OpenLineage RunEvents come in, mapped onto the jobs, runs and snapshots the REST API
 * makes, as Marquez does (see {@link OpenLineageBatchWriter}): a single event is a batch of one, and
 * every batch is applied by the writer in a transaction of its own. This class holds the
 * transactions: it runs one again when another request raced it to a job, run or dataset of the
 * batch, and applies a batch that fails for one of its events one event at a time, so only the
 * failing ones are rejected.
 */
@Service
public class OpenLineageService {

    /** Attempts at a batch's transaction while concurrent requests keep creating what it needs. */
    static final int ATTEMPTS = 3;

    private static final String UNSTORABLE = "A value is outside what the platform can store (for example a timestamp"
            + " beyond what Postgres holds, or a number out of range).";

    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageService.class);

    private final OpenLineageBatchWriter writer;
    private final TransactionTemplate transaction;

    public OpenLineageService(OpenLineageBatchWriter writer, PlatformTransactionManager transactions) {
        this.writer = requireNonNull(writer, "writer");
        this.transaction = new TransactionTemplate(requireNonNull(transactions, "transactions"));
    }

    /** An event applied: its run, and the run's state after it. */
    public record Accepted(UUID runId, String jobName, RunState state) {}

    /** What became of one event of a batch: accepted, or rejected with the problem it gets alone. */
    public record Outcome(Accepted accepted, String errorCode, String detail) {

        static Outcome rejected(String errorCode, String detail) {
            return new Outcome(null, requireNonNull(errorCode, "errorCode"), detail);
        }

        public boolean isAccepted() {
            return accepted != null;
        }
    }

    /**
     * Applies one event (a batch of one) in a transaction of its own. Throws what the event gets:
     * the {@link ApiException} of an invalid or refused event, the database's exception for a value
     * Postgres refuses (a 400 by {@code ProblemExceptionHandler}).
     */
    public Accepted accept(JsonNode event) {
        return apply(List.of(event)).get(0);
    }

    /**
     * Applies the events in order, as one transaction. When an event fails it, each event is applied
     * alone instead, in order, in a transaction of its own: the failing ones are rejected with the
     * problem they get alone, the others land. A failure no event causes (the database is down)
     * throws.
     */
    public List<Outcome> acceptAll(List<JsonNode> batch) {
        try {
            return apply(batch).stream()
                    .map(accepted -> new Outcome(accepted, null, null))
                    .toList();
        } catch (ApiException | DataAccessException | DateTimeException whole) {
            if (rejection(whole) == null) {
                throw whole;
            }
            LOG.debug("batch of {} events applied one event at a time: {}", batch.size(), whole.toString());
        }
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        for (JsonNode event : batch) {
            try {
                outcomes.add(new Outcome(accept(event), null, null));
            } catch (ApiException | DataAccessException | DateTimeException e) {
                Outcome rejected = rejection(e);
                if (rejected == null) {
                    throw e; // the database is down or broken: not this event's fault
                }
                outcomes.add(rejected);
            }
        }
        return outcomes;
    }

    // The batch in a transaction, run again (a bounded number of times) when a concurrent request
    // was creating one of its jobs or datasets (Raced), stored one of the runs it starts first (the
    // run's key), or deadlocked with it: the next attempt finds them.
    private List<Accepted> apply(List<JsonNode> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> writer.apply(batch));
            } catch (OpenLineageBatchWriter.Raced | DuplicateKeyException | ConcurrencyFailureException raced) {
                if (attempt == ATTEMPTS) {
                    throw new ApiException(
                            ErrorCode.CONCURRENT_MODIFICATION,
                            "Concurrent requests kept creating the jobs, runs or datasets of these events; nothing"
                                    + " was stored, send them again.");
                }
                LOG.debug("OpenLineage batch raced another request (attempt {}): {}", attempt, raced.toString());
            }
        }
    }

    // What a failed event is answered in a batch; null when the failure is not the event's.
    private static Outcome rejection(RuntimeException e) {
        if (e instanceof ApiException problem) {
            return Outcome.rejected(problem.errorCode(), problem.getMessage());
        }
        // Alone it would be a 400 (ProblemExceptionHandler): Postgres refused a value as data
        // (SQLSTATE class 22), or Java could not represent a date.
        if (e instanceof DateTimeException) {
            return Outcome.rejected(ErrorCode.BAD_REQUEST.code(), UNSTORABLE);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return Outcome.rejected(ErrorCode.BAD_REQUEST.code(), UNSTORABLE);
            }
        }
        return null;
    }
}
