package io.deltaplane.metadata.commit;

/**
 * A table that holds one row per committed version, written by the commit's own statement ({@link
 * CommitRepository}'s append): the row exists if and only if the version does, and costs no round
 * trip of its own. The publish queue ({@code _delta_log}) and the lineage outbox (lineage-service)
 * are the two; the append statement is built from the outboxes in the context, in their {@code
 * @Order}, when the application starts.
 */
public interface CommitOutbox {

    /**
     * One or more common table expressions, comma-separated, that insert this outbox's rows. They
     * may read the statement's {@code cas} CTE (columns {@code id, last_committed_at}; no row when
     * the version was not taken, so nothing is inserted) and the parameters {@code :id}, {@code
     * :fullName}, {@code :location}, {@code :version}, {@code :requestId} (the committing request's
     * id, or null), {@code :idempotencyToken} (the token of the request's {@code Idempotency-Key}
     * claim, a UUID as text, or null), {@code :runId} (the lineage run the commitInfo names, a UUID as text, or
     * null), {@code :outboxNow} (the commit's time, a {@code timestamptz}), {@code
     * :newMetadata} (a boolean: the version carries a metaData action) and {@code
     * :checkpointInterval} (an integer: the {@code delta.checkpointInterval} that metaData sets, null
     * when it sets none or there is no metaData).
     */
    String ctes();

    /**
     * Called after a statement that included {@link #ctes()} wrote a version, inside the commit's
     * transaction: work due once that transaction commits (waking the loop that drains the outbox).
     */
    void written();
}
