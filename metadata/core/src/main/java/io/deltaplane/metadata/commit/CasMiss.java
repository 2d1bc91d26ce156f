package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.support.idempotency.IdempotentRequests;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.RetryLaterException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Why a commit's compare-and-swap ({@code CommitRepository.APPEND}) found no row: the table is gone
 * (404), at another version (409 VERSION_CONFLICT with its version), or waiting for its check after
 * a restore from backup (503 with Retry-After: its _delta_log may hold versions the database lost),
 * or the request's {@code Idempotency-Key} was taken over by a retry (409 IDEMPOTENCY_KEY_IN_USE).
 * Read only after a miss, so the commit path pays nothing for it.
 */
@Component
class CasMiss {

    static final String HEAD = "SELECT t.current_version,"
            + " EXISTS (SELECT 1 FROM restore_checks r WHERE r.table_id = t.id) FROM tables t WHERE t.id = ?";

    /** Whether a request still holds its Idempotency-Key (the compare-and-swap requires it). */
    static final String KEY_HELD = "SELECT 1 FROM platform.idempotency_keys WHERE token = ? AND status IS NULL";

    /** Seconds a commit refused during a table's restore check is told to wait. */
    static final int RESTORE_CHECK_RETRY_SECONDS = 5;

    private final JdbcClient jdbc;

    CasMiss(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    ApiException explain(UUID tableId, String fullName, long expected) {
        record Head(long version, boolean restoreCheck) {}
        Optional<Head> head = jdbc.sql(HEAD)
                .param(tableId)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getBoolean(2)))
                .optional();
        if (head.isEmpty()) {
            return MetadataErrors.tableNotFound(fullName);
        }
        UUID token = IdempotentRequests.currentToken();
        if (token != null
                && jdbc.sql(KEY_HELD)
                        .param(token)
                        .query(Integer.class)
                        .optional()
                        .isEmpty()) {
            return new ApiException(
                    HttpStatus.CONFLICT,
                    ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    "This request's Idempotency-Key was taken over by a retry (this request's lease ran out);"
                            + " nothing was committed by this request");
        }
        if (head.get().restoreCheck()) {
            return new RetryLaterException(
                    "Table " + fullName + " waits for its check after a restore from backup (its _delta_log may"
                            + " hold versions the database lost); nothing was committed, retry after "
                            + RESTORE_CHECK_RETRY_SECONDS + " s",
                    RESTORE_CHECK_RETRY_SECONDS,
                    Map.of("table", fullName));
        }
        return MetadataErrors.versionConflict(fullName, expected, head.get().version());
    }
}
