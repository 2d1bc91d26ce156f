package io.deltaplane.metadata.bench;

import io.deltaplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Postgres time per statement of the benchmark's database over the measured window, from {@code
 * pg_stat_statements} — only when the server preloads it (a server of the benchmark's own: see
 * docs/metadata.md); otherwise one line says why there is no split. The CPU figures by part cannot
 * split Postgres by statement: the service's pooled connections serve requests and background loops
 * alike.
 */
final class StatementTimes {

    // This database's entries only: the server may serve other databases.
    private static final String RESET =
            "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)";

    private static final String TOP = """
            SELECT calls, total_exec_time, total_plan_time, regexp_replace(query, '\\s+', ' ', 'g')
            FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time + total_plan_time DESC LIMIT 8""";

    private final TestDatabase db;

    private StatementTimes(TestDatabase db) {
        this.db = db;
    }

    /** Starts the window, or null (having said why) when the server has no pg_stat_statements. */
    static StatementTimes start(TestDatabase db) {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            s.execute(RESET);
            return new StatementTimes(db);
        } catch (SQLException e) {
            System.out.println("    (no Postgres time by statement: pg_stat_statements is not preloaded on this server;"
                    + " see docs/metadata.md)");
            return null;
        }
    }

    /** Prints the statements that took the most time since {@link #start}, per commit. */
    void print(long commits) throws SQLException {
        System.out.println("    Postgres ms per commit by statement (pg_stat_statements: execution + planning,"
                + " wall time in the backend, waits included):");
        double per = Math.max(1, commits);
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(TOP)) {
            while (rs.next()) {
                String query = rs.getString(4);
                System.out.printf(
                        Locale.ROOT,
                        "      %7.3f ms  %6.2f calls  %s%n",
                        (rs.getDouble(2) + rs.getDouble(3)) / per,
                        rs.getLong(1) / per,
                        query.length() > 110 ? query.substring(0, 110) + "…" : query);
            }
        }
    }
}
