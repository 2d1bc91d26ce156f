/**
 * Pipeline health: whether a job's runs are what its history says they should be — failing,
 * running much longer than usual, or overdue — judged when asked ({@link
 * io.deltaplane.lineage.health.JobHealthController} → {@link
 * io.deltaplane.lineage.health.JobHealthService}, which reads the job's newest runs, → {@link
 * io.deltaplane.lineage.health.JobHealthJudge}). metadata-service asks it for the jobs that write a
 * late table, to name a failing or overdue job as the cause of its incident.
 */
package io.deltaplane.lineage.health;
