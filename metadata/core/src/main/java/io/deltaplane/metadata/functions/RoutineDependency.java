package io.deltaplane.metadata.functions;

/** A table or a function (full names) a function's body depends on; one of the two is set. */
public record RoutineDependency(String table, String function) {}
