package io.deltaplane.support.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure the configured database exists before the pool and Flyway open it. */
public final class DatabaseCreator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseCreator.class);

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?");
    private static final String DATABASE_EXISTS = "SELECT 1 FROM pg_database WHERE datname = ?";
    private static final String INVALID_CATALOG_NAME = "3D000";
    private static final String INVALID_AUTHORIZATION = "28";

    private DatabaseCreator() {}

    public static void ensureExists(DatabaseProperties db) {
        try (Connection ignored = connect(db.url(), db)) {
            return; // exists and reachable
        } catch (SQLException e) {
            if (!INVALID_CATALOG_NAME.equals(e.getSQLState()) || !db.createIfMissing()) {
                throw failure(db, e);
            }
        }
        Matcher m = URL.matcher(db.url());
        if (!m.matches()) {
            throw new IllegalStateException("deltaplane.db.url is not a Postgres JDBC URL: " + db.url());
        }
        String name = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = connect(maintenanceUrl, db)) {
            if (exists(c, name)) {
                return;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE \"" + name + "\""); // name matched [A-Za-z0-9_]+ above
                log.info("Created database {}", name);
            } catch (SQLException e) {
                // Services starting together race to create it: Postgres answers the loser with
                // duplicate_database or a unique violation on pg_database. Either way it exists now.
                if (!exists(c, name)) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw failure(db, e);
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DATABASE_EXISTS)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static RuntimeException failure(DatabaseProperties db, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith(INVALID_AUTHORIZATION) || state.isEmpty()) {
            return new PostgresUnreachableException(db.url(), e);
        }
        return new IllegalStateException("Could not prepare database " + db.url() + ": " + e.getMessage(), e);
    }

    private static Connection connect(String url, DatabaseProperties db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        props.setProperty(
                "connectTimeout", Long.toString(Math.max(1, db.connectTimeout().toSeconds())));
        return DriverManager.getConnection(url, props);
    }
}
