package io.deltaplane.client.model;

import java.time.Instant;

/**
 * A run of a job: {@code RUNNING}, then {@code COMPLETED}, {@code FAILED} or {@code ABANDONED}.
 * {@code endedAt} is null while it runs. The whole record of a run (inputs, outputs, events,
 * artifacts) is {@code client.jobs().run(runId)}.
 */
public record Run(String runId, String jobName, String state, Instant startedAt, Instant endedAt) {}
