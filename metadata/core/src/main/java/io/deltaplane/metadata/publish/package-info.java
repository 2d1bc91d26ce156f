/**
 * How a committed version reaches {@code _delta_log}. {@link PublishQueue} is one of the commit's
 * {@code CommitOutbox}es (this package depends on {@code commit}, never the other way round): the commit's own
 * statement creates the table's {@code publish_state} row with its first version and queues each version in
 * {@code publish_queue}, so a version is queued if and only if it is committed; after the transaction it wakes a
 * publisher ({@link PublishWakeup}). {@link PublishScheduler} runs the publisher, the checkpointer, the periodic
 * reconcile and the lag gauges as loops of their own ({@link PublishConfiguration}, {@link PublishProperties}; switched
 * off, commits still queue). A {@link DeltaLogPublisher} round leases up to {@code tables-per-round} tables and reads
 * their versions ({@link CommitRows}, read only) in one short transaction, writes each table's {@code <version>.json}
 * files in order as puts-if-absent holding no transaction, then marks the tables it published in one statement.
 * {@link PublishRepository}'s marks apply only while the claim's lease token is still the row's, and
 * {@link PublishLease} renews a long batch's lease with its progress: a worker that crashes or stalls loses the table
 * to another worker or replica, which writes the same bytes again (harmless); a file found with other content is an
 * alarm, never overwritten, retried with backoff. {@link Checkpointer} writes the checkpoint at the latest published
 * multiple of the table's interval under a lease of its own, finding due tables by the {@code checkpoint_due} flag the
 * statements that change its inputs keep ({@link CheckpointDue}, {@link CheckpointRepository}). {@link Reconciler}
 * holds the same publish lease, so it never works beside a publisher: it takes back the platform's own versions the log
 * holds beyond Postgres, lost by a restore from an older backup ({@link LogAdoption}, through {@code CommitWriter}, so
 * they are queued like any commit), rewrites missing commit files, flags files that differ (on request) and foreign
 * versions, resets a vanished checkpoint and publishes what is due. {@link RestoreChecks} reconciles the tables a
 * restore marked ({@link RestoreMarks}) before the web server takes connections; commits to a marked table are refused
 * until a reconcile clears its mark. {@link LogCleanup}, Delta's expired-log cleanup that the maintenance package runs,
 * records the log's new first version before deleting older files, so the reconciler never writes them back;
 * {@link HistoryStart} records the first version Postgres keeps, never past the log's. {@link PublishStates} reads the
 * state ({@link PublishState}), never writes; {@link PublishService} ({@link PublishStatusResponse}) answers status and
 * on-demand reconcile for {@code /api/v1}'s {@code PublishController} (module {@code metadata/door-api}), {@link PublishMetrics} the Prometheus view.
 */
package io.deltaplane.metadata.publish;
