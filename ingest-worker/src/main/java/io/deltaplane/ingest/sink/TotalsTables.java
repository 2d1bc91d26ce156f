package io.deltaplane.ingest.sink;

import java.util.List;

/**
 * Where a database's mappings keep their totals (rows, dead letters, batches): a row per mapping and
 * writer, so workers sharing a warehouse (MotherDuck) each add to their own and no batch waits on, or
 * fails for, another worker's bookkeeping (DuckDB refuses two transactions updating one row); a
 * mapping's totals are the sum of its rows and of the one row per mapping an earlier release kept.
 *
 * @param totals the qualified per-writer table ({@link #TABLE})
 * @param legacy the qualified per-mapping table of an earlier release ({@link #LEGACY_TABLE})
 */
record TotalsTables(String totals, String legacy) {

    static final String TABLE = "_deltaplane_worker_totals";
    /** Where an earlier release kept one totals row per mapping, which every batch of every worker updated. */
    static final String LEGACY_TABLE = "_deltaplane_totals";

    /** The tables of database {@code quotedDatabase}, in its main schema. */
    static TotalsTables in(String quotedDatabase, java.util.function.UnaryOperator<String> quote) {
        return new TotalsTables(
                quotedDatabase + ".main." + quote.apply(TABLE), quotedDatabase + ".main." + quote.apply(LEGACY_TABLE));
    }

    List<String> ddl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + legacy
                        + " (mapping VARCHAR PRIMARY KEY, rows BIGINT NOT NULL, dead_letters BIGINT NOT NULL,"
                        + " batches BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + totals
                        + " (mapping VARCHAR NOT NULL, writer VARCHAR NOT NULL, rows BIGINT NOT NULL,"
                        + " dead_letters BIGINT NOT NULL, batches BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,"
                        + " PRIMARY KEY (mapping, writer))");
    }

    /**
     * The mapping's totals by writer, the earlier release's row as {@link SinkTotals#EARLIER_RELEASE}
     * (parameters: mapping, mapping; columns: writer, rows, dead letters, batches).
     */
    String select() {
        return "SELECT writer, rows, dead_letters, batches FROM " + totals + " WHERE mapping = ? UNION ALL"
                + " SELECT '" + SinkTotals.EARLIER_RELEASE + "', rows, dead_letters, batches FROM " + legacy
                + " WHERE mapping = ?";
    }

    /** Adds one batch's counts to a writer's totals (parameters: mapping, writer, rows, dead letters). */
    String add() {
        return "INSERT INTO " + totals + " (mapping, writer, rows, dead_letters, batches, updated_at)"
                + " VALUES (?, ?, ?, ?, 1, current_timestamp) ON CONFLICT (mapping, writer) DO UPDATE SET"
                + " rows = rows + excluded.rows, dead_letters = dead_letters + excluded.dead_letters,"
                + " batches = batches + 1, updated_at = excluded.updated_at";
    }
}
