package io.deltaplane.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One throw-away Postgres database per test JVM, created on first use on the server named by
 * {@code DELTAPLANE_TEST_DB_URL} (default {@code jdbc:postgresql://localhost:5432/postgres}, user
 * {@code postgres}, trust auth) and dropped when the JVM exits, so test runs never see each other's
 * data.
 */
public final class TestDatabase {

    public static final String DEFAULT_SERVER_URL = "jdbc:postgresql://localhost:5432/postgres";

    private static final String PREFIX = "deltaplane_test_";
    private static final Pattern TIMESTAMPED = Pattern.compile(PREFIX + "(\\d{10})_[0-9a-f]{8}(_.*)?");
    private static final Duration ABANDONED_AFTER = Duration.ofHours(6);

    /**
     * The pool settings every app under test gets ({@code deltaplane.db.min-idle}, {@code
     * idle-timeout}): an idle pool keeps one connection, not ten, so the contexts a test JVM caches
     * and the test JVMs Maven runs side by side stay under Postgres' default 100 connections.
     */
    public static final String MIN_IDLE = "1";

    public static final String IDLE_TIMEOUT = "10s";
    private static final String LIST_TEST_DATABASES =
            "SELECT datname FROM pg_database WHERE datname LIKE 'deltaplane\\_test\\_%'";

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
        // The creation time is in the name, so a later run can drop databases left behind by a
        // killed test JVM (its shutdown hook never ran) without touching a run still going.
        String name = PREFIX
                + Instant.now().getEpochSecond()
                + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        TestDatabase db = new TestDatabase(serverUrl, user, password, name);
        db.dropAbandoned();
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

    /**
     * A fresh database on the server at {@code serverUrl} (a JDBC URL naming any of its databases;
     * several hosts for a replicated server, e.g. {@code jdbc:postgresql://h1:p1,h2:p2/postgres?targetServerType=primary}),
     * user {@code postgres}, trust auth. It is not dropped: a test that starts its own server
     * throws the server away.
     */
    public static TestDatabase on(String serverUrl) {
        String name = PREFIX
                + Instant.now().getEpochSecond()
                + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toLowerCase(Locale.ROOT);
        TestDatabase db = new TestDatabase(serverUrl, "postgres", "", name);
        db.execute("CREATE DATABASE " + name);
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

    /** A plain (unpooled) data source of this test database, for Flyway and JdbcClient in tests. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url());
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** Drops test databases older than {@link #ABANDONED_AFTER}: leftovers of killed runs. */
    private void dropAbandoned() {
        long cutoff = Instant.now().minus(ABANDONED_AFTER).getEpochSecond();
        List<String> abandoned = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(serverUrl, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(LIST_TEST_DATABASES)) {
            while (rs.next()) {
                Matcher m = TIMESTAMPED.matcher(rs.getString(1));
                if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
                    abandoned.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            return; // tidying up is best effort; creating our own database reports real problems
        }
        abandoned.forEach(old -> execute("DROP DATABASE IF EXISTS " + old + " WITH (FORCE)"));
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
