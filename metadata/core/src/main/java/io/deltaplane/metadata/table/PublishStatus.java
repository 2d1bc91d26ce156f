package io.deltaplane.metadata.table;

/**
 * How far a table's {@code _delta_log} is written: {@code publishedVersion} the highest version
 * known to be in it (null: none yet), {@code lagVersions} how many versions the table is ahead of
 * it. Read from the publisher's {@code publish_state} row (a table without one has no status).
 */
public record PublishStatus(Long publishedVersion, long lagVersions) {

    /** The status of a table at {@code tableVersion} whose log is written up to {@code published} (-1: none). */
    public static PublishStatus of(long published, long tableVersion) {
        return new PublishStatus(published < 0 ? null : published, Math.max(0, tableVersion - published));
    }
}
