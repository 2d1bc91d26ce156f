package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;

/** What the pipeline and a transaction's parts read off a request and a table row alike. */
final class CommitInputs {

    private CommitInputs() {}

    /** The state a commit's actions are validated against, as the table's row gives it. */
    static TableState state(TableRow table) {
        return new TableState(table.id(), table.location(), table.partitionColumns(), table.partitionKeys());
    }

    /** A request's {@code expected_version}: required, not negative (400 otherwise). */
    static long expectedVersion(Long expected) {
        if (expected == null || expected < 0) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "expected_version is required and must not be negative");
        }
        return expected;
    }
}
