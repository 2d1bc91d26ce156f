/**
 * How a commit flows, all in this package. {@link io.deltaplane.metadata.commit.CommitController}
 * takes the HTTP request; {@link io.deltaplane.metadata.commit.CommitService} checks the request,
 * opens the Postgres transaction and times it (multi-table commits lock their tables in a fixed
 * order first); {@link io.deltaplane.metadata.commit.CommitWriter} validates the Delta actions,
 * takes the version by compare-and-swap and writes every row of it through {@code
 * CommitRepository} (each SQL statement on the table-state tables, and the constraint to error
 * mapping), then calls the two outboxes, {@link io.deltaplane.metadata.publish.PublishQueue} and
 * {@link io.deltaplane.metadata.lineage.LineageOutbox}, in the same transaction. A plain commit
 * first tries the fast path inside the writer: the same rows in one statement, checked against
 * {@code TableStateCache}. {@link io.deltaplane.metadata.commit.LogAppender} is the same writer
 * for table creation and imports, without HTTP.
 */
package io.deltaplane.metadata.commit;
