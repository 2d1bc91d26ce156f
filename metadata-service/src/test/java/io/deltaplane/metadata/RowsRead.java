package io.deltaplane.metadata;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the current transaction has read so far, from Postgres's own per-transaction counters
 * ({@code pg_stat_get_xact_tuples_returned}): the tests that hold a statement to reading only the
 * rows it needs take it before and after the statement, on the transaction's connection. Also the
 * plan those tests run under: the generic plan Postgres caches for a prepared statement on a pooled
 * connection, made once from the statistics of that moment.
 */
public final class RowsRead {

    private static final String INDEX_ENTRIES =
            "SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(i.indexrelid)), 0)"
                    + " FROM pg_index i WHERE i.indrelid = CAST(:table AS regclass)";
    private static final String INDEX_ENTRIES_OF = "SELECT pg_stat_get_xact_tuples_returned(CAST(:index AS regclass))";
    private static final String SCANNED = "SELECT pg_stat_get_xact_tuples_returned(CAST(:table AS regclass))";
    // Postgres counts an index scan's heap fetches on the index, a bitmap scan's on the table
    private static final String FETCHED = "SELECT pg_stat_get_xact_tuples_fetched(CAST(:table AS regclass))"
            + " + (SELECT coalesce(sum(pg_stat_get_xact_tuples_fetched(i.indexrelid)), 0) FROM pg_index i"
            + " WHERE i.indrelid = CAST(:table AS regclass))";
    private static final String PLAN_CACHE_MODE = "SET LOCAL plan_cache_mode = ";

    /** What was read of one table: its index entries, rows by sequential scans, heap rows fetched. */
    public record Counts(long indexEntries, long scanned, long fetched) {
        public Counts minus(Counts before) {
            return new Counts(indexEntries - before.indexEntries, scanned - before.scanned, fetched - before.fetched);
        }
    }

    private RowsRead() {}

    /** All three counts of {@code table}. */
    public static Counts of(JdbcClient jdbc, String table) {
        return new Counts(indexEntries(jdbc, table), scanned(jdbc, table), fetched(jdbc, table));
    }

    /** Index entries read from all of {@code table}'s indexes. */
    public static long indexEntries(JdbcClient jdbc, String table) {
        return jdbc.sql(INDEX_ENTRIES).param("table", table).query(Long.class).single();
    }

    /** Index entries read from one index. */
    public static long indexEntriesOf(JdbcClient jdbc, String index) {
        return jdbc.sql(INDEX_ENTRIES_OF)
                .param("index", index)
                .query(Long.class)
                .single();
    }

    /** Rows of {@code table} read by sequential scans. */
    public static long scanned(JdbcClient jdbc, String table) {
        return jdbc.sql(SCANNED).param("table", table).query(Long.class).single();
    }

    /** Heap rows of {@code table} fetched through an index or a bitmap. */
    public static long fetched(JdbcClient jdbc, String table) {
        return jdbc.sql(FETCHED).param("table", table).query(Long.class).single();
    }

    /**
     * Until the transaction ends, prepared statements run the generic plan (as a pooled connection's
     * do once the driver has prepared them, after its fifth execution).
     */
    public static void forceGenericPlans(JdbcClient jdbc) {
        planCacheMode(jdbc, "force_generic_plan");
    }

    /** Until the transaction ends, Postgres's {@code plan_cache_mode} is {@code mode}. */
    public static void planCacheMode(JdbcClient jdbc, String mode) {
        if (!mode.matches("auto|force_generic_plan|force_custom_plan")) {
            throw new IllegalArgumentException("not a plan_cache_mode: " + mode);
        }
        jdbc.sql(PLAN_CACHE_MODE + mode).update();
    }
}
