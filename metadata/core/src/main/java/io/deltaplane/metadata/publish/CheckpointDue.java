package io.deltaplane.metadata.publish;

/**
 * The SQL test of whether a table is due for a checkpoint by versions, shared by the statements of
 * both repositories that change what it reads ({@link PublishRepository}'s progress marks and
 * imports, {@link CheckpointRepository}'s checkpoint updates): each keeps {@code
 * publish_state.checkpoint_due} equal to it.
 */
final class CheckpointDue {

    private CheckpointDue() {}

    // Whether a table is due for a checkpoint by versions, with published_version, last_checkpoint_version,
    // verified_from_version and checkpoint_interval given as these expressions (their new values, in
    // an update): the latest published multiple of the table's interval is above the last checkpoint
    // and not an imported version. CLAIM_CHECKPOINT's own test, kept in publish_state.checkpoint_due
    // by every statement that changes one of the first three (the commit's insert leaves it false:
    // nothing is published yet; a commit that changes checkpoint_interval leaves it to the progress
    // mark that publishes that version).
    static String condition(String published, String lastCheckpoint, String verifiedFrom, String interval) {
        return """
                ((%1$s) / %4$s) * %4$s > greatest(coalesce(%2$s, 0), 0)
                AND ((%1$s) / %4$s) * %4$s >= (%3$s)""".formatted(published, lastCheckpoint, verifiedFrom, interval(interval));
    }

    // A table's checkpoint interval: its own (delta.checkpointInterval, V50), else the configured one.
    static String interval(String column) {
        return "coalesce(" + column + ", :interval)";
    }
}
