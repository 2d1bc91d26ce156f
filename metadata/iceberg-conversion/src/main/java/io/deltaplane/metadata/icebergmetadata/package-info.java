/**
 * One table, two formats: the Iceberg metadata the catalog makes for the tables Iceberg clients
 * read, from what their Delta log ratified — a publication of the core beside {@code _delta_log},
 * served by the Iceberg REST door ({@code iceberg}), which is the only package that depends on this
 * one's API.
 *
 * <h2>How Delta versions become Iceberg snapshots</h2>
 *
 * <ol>
 *   <li>{@link io.deltaplane.metadata.icebergmetadata.IcebergTables} (a door's load, authorized as on
 *       every door, a read that never commits; it records that the table is read, {@link
 *       io.deltaplane.metadata.icebergmetadata.RecentlyReadTables}) or {@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergPublisher} (the background loop, woken by a
 *       commit to a table read within {@code keep-current-for} and polling for the rest, each table
 *       claimed once across replicas) asks
 *       {@link io.deltaplane.metadata.icebergmetadata.IcebergConversion} to bring a table up to a
 *       version.
 *   <li>The conversion reads what Postgres ratified ({@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository}: each version's actions, the
 *       files it removed, the metaData and protocol in force): a table's first conversion starts at its
 *       earliest retained version, whose live files make the first snapshot (the backfill); after that,
 *       up to 200 versions at a time go into one Iceberg transaction (one metadata file, one swap).
 *   <li>A metaData is an Iceberg schema with stable field ids and a name mapping that only grows
 *       ({@link io.deltaplane.metadata.icebergmetadata.DeltaMetaData}, {@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergSchemas}, {@link
 *       io.deltaplane.metadata.icebergmetadata.NameMappings}), and a partition spec evolved as Iceberg
 *       evolves one ({@link io.deltaplane.metadata.icebergmetadata.PartitionSpecs}); a protocol with
 *       deletion vectors makes the table Iceberg v3.
 *   <li>The version's adds and removes become an append, an overwrite, a replace (no data changed)
 *       or a row delta ({@link io.deltaplane.metadata.icebergmetadata.VersionSnapshots}); each add is a
 *       data file with exact metrics from Delta's statistics and its partition values parsed as Delta
 *       serializes them ({@link io.deltaplane.metadata.icebergmetadata.DataFileEntries}, {@link
 *       io.deltaplane.metadata.icebergmetadata.PartitionValues}, its footer's record count where it
 *       has none, {@link io.deltaplane.metadata.icebergmetadata.ParquetFooters}); each remove names
 *       the file under the spec it was added with ({@link
 *       io.deltaplane.metadata.icebergmetadata.SpecHistory}) and must find it; each deletion vector is
 *       a Puffin blob of Delta's bytes ({@link io.deltaplane.metadata.icebergmetadata.DeletionVectorBlobs}).
 *   <li>iceberg-core writes the manifests, manifest list and metadata file under the table's hidden
 *       {@code _iceberg} folder through the platform's storage ({@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergStorageIO}), on the converting thread ({@link
 *       io.deltaplane.metadata.icebergmetadata.SameThread}); {@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergTableOperations} dates each snapshot at its Delta
 *       commit and swaps the pointer in Postgres by compare-and-set, recording each snapshot's Delta
 *       version and spec (time travel both ways). A converter that lost the race to another replica
 *       starts over from the winner's metadata, never converting a version twice.
 *   <li>Snapshots of versions Postgres no longer keeps expire ({@link
 *       io.deltaplane.metadata.icebergmetadata.PrunedHistory}).
 * </ol>
 *
 * <p>A failure is recorded on the table ({@link io.deltaplane.metadata.icebergmetadata.IcebergStatuses},
 * shown in the publish status) and counted; it never reaches a Delta commit. A load never answers
 * stale metadata in silence ({@link io.deltaplane.metadata.icebergmetadata.ConversionFailures}): a
 * failure converting again would repeat is refused by name, a transient one answers the last good
 * metadata with its lag for a bounded time. What Iceberg cannot express is {@link
 * io.deltaplane.metadata.icebergmetadata.IcebergUnsupported}: not served rather than served wrong.
 *
 * <p>In memory, per process: the recently read metadata files ({@link
 * io.deltaplane.metadata.icebergmetadata.RecentMetadata}; lost with the process, never stale since a
 * metadata file never changes), the tables Iceberg reads ({@link
 * io.deltaplane.metadata.icebergmetadata.RecentlyReadTables}; lost with the process and read back
 * from Postgres by its successor's first round: until then only its commits' wake-ups are lost, the
 * poll converts) and the per-table locks of one process's conversions.
 */
package io.deltaplane.metadata.icebergmetadata;
