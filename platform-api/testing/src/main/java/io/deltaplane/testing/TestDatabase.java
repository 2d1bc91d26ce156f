package io.deltaplane.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * One throw-away Postgres database per test JVM, created on first use on the server named by
 * {@code DELTAPLANE_TEST_DB_URL} (default {@code jdbc:postgresql://localhost:5432/postgres}, user
 * {@code postgres}, trust auth) and dropped when the JVM exits, so test runs never see each other's
 * data.
 */
public final class TestDatabase {

    public static final String DEFAULT_SERVER_URL = "jdbc:postgresql://localhost:5432/postgres";

    private static volatile TestDatabase instance;

    private final String serverUrl;
    private final String user;
    private final String password;
    private final String name;

    private TestDatabase(String serverUrl, String user, String password, String name) {
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.name = name;
    }

    /** The database of this JVM, created on the first call. */
    public static TestDatabase get() {
        TestDatabase db = instance;
        if (db == null) {
            synchronized (TestDatabase.class) {
                db = instance;
                if (db == null) {
                    db = create();
                    instance = db;
                }
            }
        }
        return db;
    }

    private static TestDatabase create() {
        String serverUrl = envOr("DELTAPLANE_TEST_DB_URL", DEFAULT_SERVER_URL);
        String user = envOr("DELTAPLANE_TEST_DB_USER", "postgres");
        String password = envOr("DELTAPLANE_TEST_DB_PASSWORD", "");
        String name = "deltaplane_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        TestDatabase db = new TestDatabase(serverUrl, user, password, name);
        db.execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(db::drop, "drop-" + name));
        return db;
    }

    /** A fresh extra database on the same server, dropped at JVM exit (for tests needing two). */
    public static TestDatabase createAnother() {
        TestDatabase base = get();
        String name = base.name + "_" + Long.toHexString(System.nanoTime());
        TestDatabase db = new TestDatabase(base.serverUrl, base.user, base.password, name);
        db.execute("CREATE DATABASE " + name);
        Runtime.getRuntime().addShutdownHook(new Thread(db::drop, "drop-" + name));
        return db;
    }

    public String name() {
        return name;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** JDBC URL of this test database. */
    public String url() {
        int slash = serverUrl.lastIndexOf('/');
        int query = serverUrl.indexOf('?', slash);
        String suffix = query < 0 ? "" : serverUrl.substring(query);
        return serverUrl.substring(0, slash + 1) + name + suffix;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user, password);
    }

    private void drop() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Tests need a Postgres server at " + serverUrl + " (user " + user
                            + "); start it (pg_ctlcluster 15 main start) or set DELTAPLANE_TEST_DB_URL: "
                            + e.getMessage(),
                    e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
