/**
 * How a version is made. Every way — {@code /api/v1}'s commit and append, a multi-table
 * transaction, a table's create, import or finalize, OPTIMIZE, a conversion, an engine's staged
 * commit ratified by {@code managed}, a version adopted from {@code _delta_log} by {@code publish} —
 * is a {@link io.deltaplane.metadata.commit.CommitIntent} (a sealed type with typed names), handed
 * to {@link io.deltaplane.metadata.commit.CommitPipeline}, the one orchestrator: it authorizes what
 * a request asks (MODIFY on each table; a catalog door's staged commit again, its door having
 * authorized the whole request before reading the table its requirements are checked against), decides the version once ({@code requireAt}, or for an
 * append the table's version under its row lock), groups plain commits and appends of different
 * requests into one Postgres transaction ({@link io.deltaplane.metadata.commit.GroupCommit}), writes
 * through {@link io.deltaplane.metadata.commit.CommitWriter}, and publishes a transaction's staged
 * parts before answering. Doors ({@code /api/v1}'s {@code CommitController} in the {@code
 * metadata/door-api} module, the Unity Catalog and Delta REST doors through {@code managed}) and background loops only build intents;
 * {@code CommitPipelineStructureTest} keeps the pipeline the writer's one caller.
 *
 * <p>The pipeline's helpers: {@code FieldIdCheck} reads the footers of the files a commit adds to a
 * table in column mapping mode {@code id} before any lock is taken (a file without Parquet field ids
 * is refused; the mode comes with the table's head); {@code ServerOrderedAppends} places an append after the locked version
 * and applies Delta's conflict rules since the writer's {@code read_version}; {@code
 * TransactionParts} reads a transaction's tables and staged files before its transaction, in a fixed
 * lock order; {@code StagedRatifications} holds the staged protocol's version rules for a {@code
 * Ratify} intent (the next version only, at most once, the same file again a retry answered as
 * landed, the winner published before a loser's 409); {@code NewTables} makes a new table's row.
 *
 * <p>The writer validates the actions against the table's state and writes the version with one
 * statement, {@code CommitRepository.appendStatement}: the compare-and-swap on the table row, the
 * file rows, the commit row and the version's row in each {@link
 * io.deltaplane.metadata.commit.CommitOutbox} (implemented by the publish queue and the lineage
 * outbox, whose packages depend on this one, never the other way round); metaData, protocol, txn
 * and domain rows follow in the same transaction. {@code CommitRepository} holds every statement the
 * commit writes with and the constraint to error mapping; {@code TableStateReads} reads the stored
 * state the actions are validated against, by {@code StoredStateRules} and, for a table with
 * Delta's row tracking, by {@code delta.RowTracking}, which checks the adds' row ids or assigns them
 * (such a table's commits always take the stored-state path: its CAS refuses a version whose row ids
 * were not checked); when the CAS finds no row, {@code CasMiss} says why (404, 409, or 503 while the
 * table waits for its check after a restore from backup). A plain commit is validated against {@code
 * TableStateCache} instead of reading the table first (the CAS re-checks that state). An engine's
 * staged commits come in through {@link io.deltaplane.metadata.commit.StagedCommits}, read once and
 * recorded with their bytes, and are published before the answer through {@link
 * io.deltaplane.metadata.commit.DeltaLogPublication}: interfaces implemented by {@code managed} and
 * {@code publish}, which depend on this package.
 */
package io.deltaplane.metadata.commit;
