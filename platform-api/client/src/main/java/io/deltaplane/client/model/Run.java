package io.deltaplane.client.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A run of a job: {@code RUNNING}, then {@code COMPLETED}, {@code FAILED} or {@code ABANDONED}. */
public record Run(String runId, String jobName, String state, Instant startedAt, Instant endedAt, JsonNode metadata) {}
