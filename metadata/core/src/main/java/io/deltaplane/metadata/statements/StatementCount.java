package io.deltaplane.metadata.statements;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SQL statements the current thread runs for one request, counted by {@link CountingDataSource}
 * while a {@link Tally} is open on the thread. Costs one ThreadLocal read per statement; nothing
 * when no tally is open (background loops, requests that are not commits).
 */
public final class StatementCount {

    private static final ThreadLocal<Tally> CURRENT = new ThreadLocal<>();
    private static final String OWN_PACKAGE = StatementCount.class.getPackageName() + ".";

    private StatementCount() {}

    /**
     * One request's statements: how many, and (when it was opened to record them) which, each with
     * the class and method of this application that ran it. Used by one thread at a time.
     */
    public static final class Tally {
        private int statements;
        private final List<String> recorded;

        private Tally(boolean record) {
            this.recorded = record ? new ArrayList<>() : null;
        }

        /** Statements counted so far (a COMMIT or ROLLBACK is one). */
        public int statements() {
            return statements;
        }

        /** The statements counted so far, as {@code SQL  <- Class.method}; empty unless recording. */
        public List<String> recorded() {
            return recorded == null ? List.of() : List.copyOf(recorded);
        }

        void count(String sql) {
            statements++;
            if (recorded != null) {
                recorded.add(oneLine(sql) + "  <- " + caller());
            }
        }
    }

    /**
     * Opens a tally on this thread, which counts until {@link #close}; returns it. {@code record}:
     * it also keeps each statement's SQL and where it ran (tests, debugging).
     */
    public static Tally open(boolean record) {
        Tally tally = new Tally(record);
        CURRENT.set(tally);
        return tally;
    }

    /** Ends counting on this thread. */
    public static void close() {
        CURRENT.remove();
    }

    /** The tally open on this thread, if any. */
    public static Optional<Tally> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Runs {@code work} with its statements counted in {@code tally} (another request's, whose work
     * this thread does for it; null: counted nowhere), then restores this thread's own.
     */
    public static <T> T countedIn(Tally tally, Supplier<T> work) {
        Tally own = CURRENT.get();
        if (tally == own) {
            return work.get();
        }
        CURRENT.set(tally);
        try {
            return work.get();
        } finally {
            CURRENT.set(own);
        }
    }

    /** A statement ran on this thread. */
    static void counted(String sql) {
        Tally tally = CURRENT.get();
        if (tally != null) {
            tally.count(sql);
        }
    }

    private static String oneLine(String sql) {
        String line = sql == null ? "(statement without SQL)" : sql.strip().replaceAll("\\s+", " ");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    /** The innermost frame of this application's code outside this package. */
    private static String caller() {
        return StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> f.getClassName().startsWith("io.deltaplane.")
                                && !f.getClassName().startsWith(OWN_PACKAGE))
                        .findFirst()
                        .map(f -> {
                            String name = f.getClassName();
                            return name.substring(name.lastIndexOf('.') + 1) + "." + f.getMethodName();
                        })
                        .orElse("?"));
    }
}
