/**
 * The {@code _delta_log} format, as the Delta protocol writes it and every engine reads it — no
 * Postgres, no scheduling: file names ({@link io.deltaplane.metadata.deltalog.DeltaLogNames}), the
 * JSON lines of a commit file ({@link io.deltaplane.metadata.deltalog.DeltaLogJson}), checkpoints
 * ({@link io.deltaplane.metadata.deltalog.CheckpointSchema} and {@link
 * io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter}, through Kernel's Parquet writer), and
 * Delta Kernel over the platform's storage layer ({@link
 * io.deltaplane.metadata.deltalog.StorageFileIO}, {@link
 * io.deltaplane.metadata.deltalog.DeltaKernelEngines}). {@code publish} writes tables' logs with it;
 * {@code imports} reads existing tables with it; {@code unity} names catalog-managed commits with it;
 * {@code maintenance} reads and writes Parquet through Kernel with it.
 */
package io.deltaplane.metadata.deltalog;
