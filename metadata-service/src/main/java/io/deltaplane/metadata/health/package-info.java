/**
 * Data health: whether a table is fresh and whether its volume is usual, computed when asked from
 * the commits the catalog ratified. {@link io.deltaplane.metadata.health.TableHealthController}
 * ({@code GET /api/v1/tables/{t}/health}, SELECT) asks {@link
 * io.deltaplane.metadata.health.TableHealthService}, which reads through {@link
 * io.deltaplane.metadata.health.HealthRepository} the last data commit and the commit history, the
 * expectation declared with {@code deltaplane.freshness.sla} ({@link
 * io.deltaplane.metadata.delta.FreshnessSla}) on the table, its schema or its catalog ({@link
 * io.deltaplane.metadata.settings.PropertyLevels}, as the maintenance policy reads), else one {@link io.deltaplane.metadata.health.LearnedFreshness
 * learned} from the commit history, and the daily volume that {@link
 * io.deltaplane.metadata.health.VolumeAnomaly} judges. Nothing here writes.
 */
package io.deltaplane.metadata.health;
