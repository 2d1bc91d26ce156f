/**
 * OpenLineage ingestion: RunEvents mapped onto the jobs, runs, snapshots, reads, edges and column
 * lineage the REST API makes. There is one path, whatever the endpoint:
 *
 * <ol>
 *   <li>{@link io.deltaplane.lineage.openlineage.OpenLineageController} ({@code POST /api/v1/lineage},
 *       one event) and {@link io.deltaplane.lineage.openlineage.OpenLineageBatchController} ({@code
 *       POST /api/v1/lineage/batch}, up to 1,000) check the request's shape and the caller's right to
 *       write the outputs, then hand the events to
 *       {@link io.deltaplane.lineage.openlineage.OpenLineageService}.
 *   <li>{@code OpenLineageService} holds the transactions: a single event is a batch of one; a batch
 *       is applied whole in one transaction, and when one of its events fails that, event by event,
 *       each a batch of one in its own transaction, so only the failing ones are rejected. A
 *       transaction that raced another request to a job, run or dataset is run again.
 *   <li>{@link io.deltaplane.lineage.openlineage.OpenLineageBatchWriter} applies a batch: it reads
 *       each event ({@link io.deltaplane.lineage.openlineage.RunEvents}: the 400 of an invalid one),
 *       locks or starts the runs it names and follows them through the events in memory
 *       ({@link io.deltaplane.lineage.openlineage.BatchRuns}; {@link
 *       io.deltaplane.lineage.openlineage.ExistingRun} answers the 409 of an event a run refuses),
 *       then writes everything with a few set-based statements built by the repositories that own
 *       the tables and sent together by {@link io.deltaplane.lineage.common.CombinedWrites}.
 * </ol>
 */
package io.deltaplane.lineage.openlineage;
