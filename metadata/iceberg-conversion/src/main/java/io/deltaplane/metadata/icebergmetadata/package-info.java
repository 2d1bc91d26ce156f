/**
 * One table, two formats: the Iceberg metadata the catalog makes for every table from what its
 * Delta log ratified — a publication of the core beside {@code _delta_log}, served by the Iceberg
 * REST door ({@code iceberg}), which is the only package that depends on this one's API.
 *
 * <h2>How a Delta version becomes an Iceberg snapshot</h2>
 *
 * <ol>
 *   <li>{@link io.deltaplane.metadata.icebergmetadata.IcebergTables} (a door's load, authorized as on
 *       every door) or {@link io.deltaplane.metadata.icebergmetadata.IcebergPublisher} (the background
 *       loop, for tables whose log is ahead) asks {@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergConversion} to bring a table up to a version.
 *   <li>The conversion reads what Postgres ratified ({@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository}: each version's actions, the
 *       files it removed, the metaData and protocol in force): a table's first conversion starts at its
 *       earliest retained version, whose live files make the first snapshot (the backfill).
 *   <li>A metaData is an Iceberg schema with stable field ids and a name mapping that only grows
 *       ({@link io.deltaplane.metadata.icebergmetadata.DeltaMetaData}, {@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergSchemas}, {@link
 *       io.deltaplane.metadata.icebergmetadata.NameMappings}); a protocol with deletion vectors makes
 *       the table Iceberg v3.
 *   <li>The version's adds and removes become an append, an overwrite or a row delta ({@link
 *       io.deltaplane.metadata.icebergmetadata.VersionSnapshots}); each add is a data file with
 *       metrics from Delta's statistics ({@link io.deltaplane.metadata.icebergmetadata.DataFileEntries},
 *       its footer's record count where it has none, {@link
 *       io.deltaplane.metadata.icebergmetadata.ParquetFooters}); each deletion vector a Puffin blob of
 *       Delta's bytes ({@link io.deltaplane.metadata.icebergmetadata.DeletionVectorBlobs}).
 *   <li>iceberg-core writes the manifests, manifest list and metadata file under the table's hidden
 *       {@code _iceberg} folder through the platform's storage ({@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergStorageIO}), on the converting thread ({@link
 *       io.deltaplane.metadata.icebergmetadata.SameThread}); {@link
 *       io.deltaplane.metadata.icebergmetadata.IcebergTableOperations} dates the snapshot at the Delta
 *       commit and swaps the pointer in Postgres by compare-and-set, recording the snapshot's Delta
 *       version (time travel both ways).
 *   <li>Snapshots of versions Postgres no longer keeps expire ({@link
 *       io.deltaplane.metadata.icebergmetadata.PrunedHistory}).
 * </ol>
 *
 * <p>A failure is recorded on the table ({@link io.deltaplane.metadata.icebergmetadata.IcebergStatuses},
 * shown in the publish status) and counted; it never reaches a Delta commit. What Iceberg cannot
 * express is {@link io.deltaplane.metadata.icebergmetadata.IcebergUnsupported}: not served rather
 * than served wrong.
 */
package io.deltaplane.metadata.icebergmetadata;
