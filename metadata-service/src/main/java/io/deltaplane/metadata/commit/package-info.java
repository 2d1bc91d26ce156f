/**
 * How a commit flows, all in this package. {@link io.deltaplane.metadata.commit.CommitController}
 * takes the HTTP request; {@link io.deltaplane.metadata.commit.CommitService} checks the request,
 * opens the Postgres transaction and times it (multi-table commits lock their tables in a fixed
 * order first); {@link io.deltaplane.metadata.commit.CommitWriter} validates the Delta actions
 * against the table's state and writes the version with one statement, {@code
 * CommitRepository.appendStatement}: the compare-and-swap on the table row, the file rows, the commit
 * row and the version's row in each {@link io.deltaplane.metadata.commit.CommitOutbox} (implemented
 * by the publish queue and the lineage outbox, whose packages depend on this one, never the other
 * way round); metaData, protocol, txn and domain rows follow in
 * the same transaction. {@code CommitRepository} holds every statement the commit writes with and the
 * constraint to error mapping; {@code TableStateReads} reads the stored state the actions are
 * validated against, by {@code StoredStateRules} and, for a table with Delta's row tracking, by
 * {@code delta.RowTracking}, which checks the adds' row ids or assigns them (such a table's commits
 * always take this general path: its CAS refuses a version whose row ids were not checked); when the CAS finds no row, {@code CasMiss} says why (404, 409, or 503 while the table
 * waits for its check after a restore from backup). A plain commit is validated against {@code TableStateCache} instead of reading the table
 * first (the CAS re-checks that state). An append without {@code expected_version} goes through
 * {@link io.deltaplane.metadata.commit.ServerOrderedAppends}: it takes the table's row lock, so
 * concurrent appends queue there instead of missing the CAS, checks Delta's conflicts since the
 * writer's {@code read_version}, and writes through the same writer at the next version. Table creation and imports write through the same writer
 * with {@link io.deltaplane.metadata.commit.LogAppender}, without HTTP. An engine's staged commits
 * (catalog-managed tables) come in through {@link io.deltaplane.metadata.commit.StagedCommits}, read
 * once and recorded with their bytes, and are published before the answer through {@link
 * io.deltaplane.metadata.commit.DeltaLogPublication}: interfaces implemented by {@code managed} and
 * {@code publish}, which depend on this package.
 */
package io.deltaplane.metadata.commit;
