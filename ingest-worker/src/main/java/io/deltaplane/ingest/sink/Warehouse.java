package io.deltaplane.ingest.sink;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * The one DuckDB database of this process. A local DuckDB file allows a single writer process: this
 * class holds the file open for the life of the worker and every consumer works on a
 * {@link DuckDBConnection#duplicate() duplicate} of its connection (same database instance, own
 * transactions). Run one worker process per local file; use MotherDuck ({@code md:<db>}) for several
 * replicas.
 */
public final class Warehouse implements AutoCloseable {

    public static final String MOTHERDUCK_TOKEN_ENV = "MOTHERDUCK_TOKEN";

    private final String target;
    private final DuckDBConnection root;
    private final String defaultDatabase;

    private Warehouse(String target, DuckDBConnection root, String defaultDatabase) {
        this.target = target;
        this.root = root;
        this.defaultDatabase = defaultDatabase;
    }

    /**
     * Opens {@code target}: a file path (parent directories created) or {@code md:<db>}, with the
     * token in {@code MOTHERDUCK_TOKEN}.
     */
    public static Warehouse open(String target) {
        return open(target, System.getenv(MOTHERDUCK_TOKEN_ENV));
    }

    /** {@link #open(String)} with the MotherDuck token given (null: none); it is never in a message. */
    static Warehouse open(String target, String motherDuckToken) {
        requireNonNull(target, "target");
        Properties props = new Properties();
        if (target.startsWith("md:")) {
            String token = motherDuckToken;
            if (token != null && !token.isBlank()) {
                props.setProperty("motherduck_token", token);
            }
        } else {
            Path parent = Path.of(target).toAbsolutePath().getParent();
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + parent, e);
            }
        }
        try {
            DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + target, props);
            String database;
            try (Statement s = root.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                rs.next();
                database = rs.getString(1);
            }
            return new Warehouse(target, root, database);
        } catch (SQLException e) {
            // The message names the target, never the token.
            throw new IllegalStateException("Cannot open the DuckDB warehouse " + target + ": " + e.getMessage(), e);
        }
    }

    /** A new connection on the shared database, in manual-commit mode. */
    public DuckDBConnection connect() throws SQLException {
        DuckDBConnection connection = (DuckDBConnection) root.duplicate();
        connection.setAutoCommit(false);
        return connection;
    }

    public String target() {
        return target;
    }

    /** The catalog names without a {@code database} land in. */
    /** Whether a database of that name is attached (the default one always is). */
    public boolean hasDatabase(String database) {
        try (DuckDBConnection c = connect();
                java.sql.PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?")) {
            ps.setString(1, database);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean exists = rs.getLong(1) > 0;
                c.rollback();
                return exists;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
        }
    }

    public String defaultDatabase() {
        return defaultDatabase;
    }

    @Override
    public void close() throws SQLException {
        root.close();
    }
}
