/**
 * Table maintenance the platform does itself. OPTIMIZE (bin-packing compaction), in order:
 * {@link io.deltaplane.metadata.maintenance.MaintenanceController} checks MODIFY on the table;
 * {@link io.deltaplane.metadata.maintenance.Optimizer} asks {@code CompactionPlanner} for the small
 * files of the current version, grouped into bins per partition (read from Postgres, no log
 * replay); {@code BinRewriter} has DuckDB rewrite each bin's files ({@code ParquetRewrite}, in
 * Delta's Parquet types: {@code DuckDbTypes}) and puts the new files, with Delta statistics from
 * their footers, in the table's {@code Storage}, outside any transaction; the optimizer commits one version of
 * {@code dataChange: false} removes and adds through {@code commit.CommitPipeline} — the same
 * validation and outboxes as every commit, so the version is published, checkpointed and reaches
 * lineage like any other. A version that landed meanwhile is rebased on when it left every
 * compacted file live and the metaData unchanged (Delta's rule: a blind append does not conflict);
 * otherwise the new files are deleted and the table planned again.
 */
package io.deltaplane.metadata.maintenance;
