package io.deltaplane.client.model;

/** An uploaded artifact (e.g. a run log). */
public record Artifact(String uri, long size, String sha256) {}
