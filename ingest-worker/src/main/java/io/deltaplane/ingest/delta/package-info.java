/**
 * How a mapping's batches land in a Delta table exactly once, one commit per batch through metadata-service.
 * {@link DeltaSinks} opens a {@link DeltaSink} (the sink package's {@code Sink}) each session, once {@link DeltaTables}
 * has created the mapping's table or checked that it has the mapping's columns ({@link DeltaColumns}) and partitioning,
 * as a {@link DeltaTarget}. A sink that finds batches a previous run left in {@link PendingBatches} first commits a
 * fence ({@link InFlightFence}) on the version it read, a version with no data that records the pending partitions' txns again, so that an
 * append still in flight (read before it, carrying one of those txns) fails with 409; a pending
 * batch the table's {@code txn} versions have then reached counts as landed, and the files of the others, referenced by
 * no version, are deleted. Each batch is checked in DuckDB; {@link ParquetBatchWriter} writes its good rows as Parquet
 * with Delta statistics ({@link DataFile}), the batch is recorded pending in the DuckDB transaction that writes its
 * dead letters, its files are uploaded put-if-absent under the table's location, and one commit adds them
 * ({@link DeltaCommitActions}, typed as {@link DeltaAction}s) with a {@code commitInfo} and one {@code txn} per source
 * partition whose version is the next offset ({@link IngestTxn}): the table itself says where to resume
 * ({@code positions()}). The commit is an append the service places at the next version, read at the version the sink
 * knows, so other partitions' and other writers' appends never conflict with it. On a 409 (a txn of one of its
 * partitions moved since that read) the commit is retried only while the txn versions are still what
 * the batch expected; otherwise another consumer owns the partitions, and the sink deletes its files and throws
 * {@code StaleOffsetsException}. A commit that got no answer is settled by the same read of the table, and one that
 * never gets through stays pending for the next open. {@link MetadataClient} makes every call to metadata-service with
 * the generated client (a 409 VERSION_CONFLICT is its {@code VersionConflict}, any other 4xx {@code Rejected}, no
 * answer or a 5xx an {@code IOException}; nothing is retried in it). {@link CommitObserver} names the lineage run in
 * the {@code commitInfo}; the version reaches lineage from metadata-service, not from here. {@link DeltaCompaction}
 * runs {@link DeltaCompactor} over the active targets in the background: a table with enough small files gets
 * metadata-service's OPTIMIZE, {@code dataChange: false} and no {@code txn}, so the stream's positions stay as they
 * are. {@link DeltaPreview} gives DuckDB a {@code read_parquet} over a local table's newest live files for row
 * previews; {@link DeltaTargetConfiguration} and {@link DeltaTargetProperties} wire and set it all.
 */
package io.deltaplane.ingest.delta;
