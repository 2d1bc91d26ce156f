package io.deltaplane.metadata.delta;

import java.util.Set;

/**
 * The Delta table features this platform implements, by where a protocol lists them. Column
 * mapping, deletion vectors, change data feed, row tracking and V2 checkpoints are refused until
 * they are implemented (a reader would trust ids, vectors or change files the platform never
 * checks or writes). {@code catalogManaged} (with {@code vacuumProtocolCheck}): the platform is the
 * catalog that ratifies the table's commits.
 */
public final class TableFeatures {

    public static final Set<String> READER = Set.of("timestampNtz", "catalogManaged", "vacuumProtocolCheck");

    /** appendOnly and invariants: what writer version 2 implies. */
    public static final Set<String> WRITER = Set.of(
            "appendOnly",
            "invariants",
            "timestampNtz",
            "domainMetadata",
            "inCommitTimestamp",
            "catalogManaged",
            "vacuumProtocolCheck");

    private TableFeatures() {}
}
