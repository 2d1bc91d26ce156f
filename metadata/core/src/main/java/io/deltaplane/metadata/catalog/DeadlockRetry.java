package io.deltaplane.metadata.catalog;

import java.util.function.Supplier;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Forced drops delete many rows that publishers and committers lock in their own order (a table's
 * publish state, then its queue; a catalog's schemas, then tables). When Postgres picks the drop as
 * a deadlock's loser, its transaction rolled back whole, so it is safe to run again: a few tries
 * turn a rare deadlock into a slightly slower drop instead of a 500.
 */
public final class DeadlockRetry {

    static final int ATTEMPTS = 5;

    private DeadlockRetry() {}

    public static void run(Runnable work) {
        get(() -> {
            work.run();
            return null;
        });
    }

    static <T> T get(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * attempt * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
