/**
 * How what metadata-service does reaches lineage-service, all through outbox tables this package
 * owns. Committed versions: {@link io.deltaplane.metadata.lineage.LineageOutbox} is one of the
 * commit's {@code CommitOutbox}es, so the commit's own statement writes the version's row in {@code
 * lineage_outbox} (with the committing request's id and the run its commitInfo names), and after the
 * transaction it wakes the relay. Maintenance runs: the maintenance package hands each ended run to
 * {@link io.deltaplane.metadata.lineage.MaintenanceRunOutbox}, which writes {@code
 * maintenance_run_outbox}. Each outbox has its relay ({@link io.deltaplane.metadata.lineage.LineageRelay},
 * {@link io.deltaplane.metadata.lineage.MaintenanceRunRelay}) on a background loop of its own ({@link
 * io.deltaplane.metadata.lineage.RelayLoop}), so a slow lineage-service holds up nothing else; both
 * claim, delete and back off rows the same way ({@link io.deltaplane.metadata.lineage.RelayOutbox}: a
 * lease, never a transaction held across the call, so replicas share the work) and call lineage with
 * {@link io.deltaplane.metadata.lineage.LineageCalls}, the Java client generated from {@code
 * lineage.json}. Versions go in batches ({@code POST /api/v1/snapshots/batch}), each run as two
 * OpenLineage events of job {@code maintenance:<table>}. Delivery is at least once; lineage is
 * idempotent on (table, version) and on a run's events. {@link
 * io.deltaplane.metadata.lineage.LineageRelayConfiguration} wires it; {@code deltaplane.lineage.*}
 * ({@link io.deltaplane.metadata.lineage.LineageRelayProperties}) sets it.
 */
package io.deltaplane.metadata.lineage;
