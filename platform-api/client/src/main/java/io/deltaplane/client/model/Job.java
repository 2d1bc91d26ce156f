package io.deltaplane.client.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A job known to lineage-service; {@code details} is the whole answer (latest run, counts, …). */
public record Job(String name, JsonNode details) {}
