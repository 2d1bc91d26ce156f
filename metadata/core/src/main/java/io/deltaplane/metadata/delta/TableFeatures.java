package io.deltaplane.metadata.delta;

import java.util.Set;

/**
 * The Delta table features this platform implements, by where a protocol lists them. Change data
 * widening is refused until it is implemented (a reader would trust types the platform never
 * checks). {@code changeDataFeed}: {@code cdc} actions are checked, stored and published ({@link
 * ChangeDataFeed}). {@code columnMapping}: ids and physical names are
 * checked, kept and used for partition values ({@link ColumnMapping}). {@code rowTracking} (with
 * {@code domainMetadata}): row ids are checked, or assigned for the platform's own writers ({@link
 * RowTracking}). {@code v2Checkpoint}: checkpoints are V2-spec ({@link V2Checkpoints}).
 * {@code deletionVectors}: descriptors are checked, stored, served, published and checkpointed as
 * writers send them, and VACUUM keeps the vectors' files ({@link DeletionVectors}). {@code catalogManaged} (with {@code vacuumProtocolCheck}): the platform is the
 * catalog that ratifies the table's commits.
 */
public final class TableFeatures {

    public static final Set<String> READER = Set.of(
            "timestampNtz",
            "catalogManaged",
            "vacuumProtocolCheck",
            DeletionVectors.FEATURE,
            V2Checkpoints.FEATURE,
            ColumnMapping.FEATURE);

    /** appendOnly and invariants: what writer version 2 implies. */
    public static final Set<String> WRITER = Set.of(
            "appendOnly",
            "invariants",
            "timestampNtz",
            "domainMetadata",
            "inCommitTimestamp",
            "catalogManaged",
            "vacuumProtocolCheck",
            DeletionVectors.FEATURE,
            RowTracking.FEATURE,
            V2Checkpoints.FEATURE,
            ColumnMapping.FEATURE,
            ChangeDataFeed.FEATURE);

    private TableFeatures() {}
}
