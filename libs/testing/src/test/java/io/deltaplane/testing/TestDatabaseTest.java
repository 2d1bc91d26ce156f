package io.deltaplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestDatabaseTest {

    private static final String SERVER =
            System.getenv().getOrDefault("DELTAPLANE_TEST_DB_URL", TestDatabase.DEFAULT_SERVER_URL);

    private static final String USER = System.getenv().getOrDefault("DELTAPLANE_TEST_DB_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("DELTAPLANE_TEST_DB_PASSWORD", "");

    @Test
    void dropsDatabasesLeftByKilledRunsButNotRecentOnes() throws Exception {
        long old = Instant.now().minus(Duration.ofDays(2)).getEpochSecond();
        long recent = Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond();
        String abandoned = "deltaplane_test_" + old + "_deadbeef";
        String running = "deltaplane_test_" + recent + "_feedface";
        execute("CREATE DATABASE " + abandoned);
        execute("CREATE DATABASE " + running);
        try {
            // This JVM's first use: creates its own database and tidies up after killed runs.
            TestDatabase db = TestDatabase.get();

            assertThat(exists(db.name())).isTrue();
            assertThat(exists(abandoned)).isFalse();
            assertThat(exists(running)).isTrue(); // another run may still be using it
            try (Connection c = db.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(db.name());
            }
        } finally {
            execute("DROP DATABASE IF EXISTS " + abandoned + " WITH (FORCE)");
            execute("DROP DATABASE IF EXISTS " + running + " WITH (FORCE)");
        }
    }

    private static boolean exists(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD);
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
