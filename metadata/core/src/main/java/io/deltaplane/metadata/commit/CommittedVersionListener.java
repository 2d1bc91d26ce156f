package io.deltaplane.metadata.commit;

import java.util.UUID;

/**
 * Work in this process that a committed version makes due at once, told the table's id after the
 * commit's transaction commits (never for a version that was not taken or rolled back). Only a
 * nudge: nothing durable hangs on it, so a process that dies before telling loses nothing but the
 * head start (each listener's loop polls as well).
 */
public interface CommittedVersionListener {

    /** A version of table {@code tableId} was committed (called on the committing thread, after the commit). */
    void committed(UUID tableId);
}
