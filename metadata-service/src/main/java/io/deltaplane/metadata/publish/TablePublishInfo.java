package io.deltaplane.metadata.publish;

/** The {@code publish} member of a table's GET response. */
public record TablePublishInfo(Long publishedVersion, long lagVersions) {}
