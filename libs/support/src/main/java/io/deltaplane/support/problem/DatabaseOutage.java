package io.deltaplane.support.problem;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of Postgres itself (restarting, failing over, unreachable, out of connections)
 * from a failure of the request: the first is a 503 with {@code Retry-After} the caller can act on,
 * never a 500. What a statement did when its connection broke is undone by Postgres (the
 * transaction never committed), except a break during {@code COMMIT} itself, whose outcome the
 * client cannot know: commits are made safe to retry by {@code expected_version},
 * {@code Idempotency-Key} and Delta's {@code txn}.
 */
public final class DatabaseOutage {

    /** Seconds a client should wait before retrying: Postgres restarts or fails over in seconds. */
    public static final int RETRY_AFTER_SECONDS = 2;

    // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
    private static final Set<String> OUTAGE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    // What HikariCP's proxy of a connection it has closed throws, with no SQLSTATE.
    private static final String HIKARI_CLOSED_CONNECTION = "Connection is closed";

    private DatabaseOutage() {}

    /** 503 with Retry-After: Postgres is restarting, failing over or out of reach; nothing was committed. */
    public static ResponseEntity<ProblemDetail> response() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS))
                .body(Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "The platform's database is unavailable (restarting or out of reach); retry after "
                                + RETRY_AFTER_SECONDS + " s."));
    }

    /**
     * Whether {@code failure} was caused by the database being unavailable. Decided by SQLSTATE and
     * the pool's and driver's connection exceptions, not by Spring's {@code
     * DataAccessResourceFailureException}, which also stands for a request's own limits (54000
     * program_limit_exceeded: an index row too large) that a retry would meet again.
     */
    public static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    // COMMIT or ROLLBACK could not reach Postgres (the pool had already closed the
                    // broken connection: "Connection is closed", no SQLSTATE)
                    || t instanceof TransactionSystemException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() == null
                    && HIKARI_CLOSED_CONNECTION.equals(sql.getMessage())) {
                return true; // the pool closed a connection it found broken, under a statement using it
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || OUTAGE_STATES.contains(state)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
