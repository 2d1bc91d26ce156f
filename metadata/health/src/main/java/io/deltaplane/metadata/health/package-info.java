/**
 * Data health: whether each table is fresh and its volume usual, judged from the commits the
 * catalog ratified, with incidents and their webhooks.
 *
 * <ul>
 *   <li><b>One table, when asked</b>: {@link io.deltaplane.metadata.health.TableHealthController}
 *       ({@code GET /api/v1/tables/{t}/health}, SELECT) → {@link
 *       io.deltaplane.metadata.health.TableHealthService}: the last data commit ({@link
 *       io.deltaplane.metadata.health.HealthRepository}; a commit's {@code changes_data} is kept
 *       with it), the SLA set with {@code deltaplane.freshness.sla} on the table, its schema or its
 *       catalog ({@link io.deltaplane.metadata.settings.PropertyLevels}), the table's {@link
 *       io.deltaplane.metadata.health.FreshnessProfile} (stored, or learned now by {@link
 *       io.deltaplane.metadata.health.LearnedFreshness}), judged by {@link
 *       io.deltaplane.metadata.health.FreshnessVerdict}; its daily volume judged by {@link
 *       io.deltaplane.metadata.health.VolumeAnomaly}.
 *   <li><b>Every table, every interval</b>: {@link io.deltaplane.metadata.health.HealthEvaluator}
 *       relearns the day-old profiles ({@link io.deltaplane.metadata.health.FreshnessProfiles},
 *       their one writer), reads every table a page at a time with its profile's entry for this
 *       hour, judges it with the same {@link io.deltaplane.metadata.health.FreshnessVerdict}, names
 *       each late table's upstream cause ({@link io.deltaplane.metadata.health.LateCauses}) and
 *       brings its incident in line ({@link io.deltaplane.metadata.health.IncidentReconciler} →
 *       {@link io.deltaplane.metadata.health.IncidentLog}, queueing {@link
 *       io.deltaplane.metadata.health.IncidentEvents} in {@link
 *       io.deltaplane.metadata.health.DeliveryOutbox}).
 *   <li><b>Webhooks</b>: {@link io.deltaplane.metadata.health.WebhookSender} posts the queued
 *       events, signed, to the subscriptions ({@link
 *       io.deltaplane.metadata.health.WebhookSubscriptions}) whose owner may see the table.
 * </ul>
 */
package io.deltaplane.metadata.health;
