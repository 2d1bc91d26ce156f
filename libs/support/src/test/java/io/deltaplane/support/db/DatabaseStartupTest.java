package io.deltaplane.support.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.ConventionsTestApplication;
import io.deltaplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

class DatabaseStartupTest {

    @Test
    void createsTheDatabaseWhenMissing() throws Exception {
        TestDatabase server = TestDatabase.get();
        String name = server.name() + "_created";
        String url = server.url().replace(server.name(), name);
        DatabaseProperties props = properties(server, url);
        try {
            DatabaseCreator.ensureExists(props);
            DatabaseCreator.ensureExists(props); // a second start finds it and does nothing

            try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(name);
            }
        } finally {
            try (Connection c = server.connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void servicesStartingTogetherAllFindTheDatabase() throws Exception {
        // ./platform up starts four services at once, each creating the database if missing.
        TestDatabase server = TestDatabase.get();
        String name = server.name() + "_race";
        String url = server.url().replace(server.name(), name);
        DatabaseProperties props = properties(server, url);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                starts.add(pool.submit(() -> {
                    start.await();
                    DatabaseCreator.ensureExists(props);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : starts) {
                f.get(30, TimeUnit.SECONDS); // none may fail
            }
            assertThat(starts).hasSize(8);
            // and the database they all asked for is there, once, and takes connections
            try (Connection c = server.connect();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(name);
            }
        } finally {
            pool.shutdownNow();
            try (Connection c = server.connect();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    @Test
    void unreachablePostgresFailsWithAClearMessage() {
        // Nothing listens on port 1: the service must stop at once with advice, not a stack-trace wall.
        // Given as a program's own defaults, which must outrank the library's shared defaults.
        assertThatThrownBy(() -> new SpringApplicationBuilder(ConventionsTestApplication.class)
                        .properties(
                                "server.port=0",
                                "deltaplane.db.url=jdbc:postgresql://127.0.0.1:1/deltaplane",
                                "deltaplane.db.user=postgres",
                                "deltaplane.db.schema=conventions",
                                "deltaplane.db.connect-timeout=2s")
                        .run())
                .satisfies(failure -> {
                    Throwable cause = failure;
                    while (cause != null && !(cause instanceof PostgresUnreachableException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).isInstanceOf(PostgresUnreachableException.class);
                    FailureAnalysis analysis = new PostgresUnreachableFailureAnalyzer().analyze(failure);
                    assertThat(analysis.getDescription()).contains("127.0.0.1:1");
                    assertThat(analysis.getAction()).contains("DELTAPLANE_DB_URL");
                });
    }

    @Test
    void invalidSettingsAreRejectedAtStartup() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(ConventionsTestApplication.class)
                        // command-line arguments: they outrank the shared defaults
                        .run(
                                "--server.port=0",
                                "--deltaplane.db.url=mysql://elsewhere",
                                "--deltaplane.db.user=postgres",
                                "--deltaplane.db.schema=conventions"))
                .hasStackTraceContaining("deltaplane.db.url");
    }

    /** The service "svc" on {@code url}, with a fixed pool of two. */
    private static DatabaseProperties properties(TestDatabase server, String url) {
        return new DatabaseProperties(
                url,
                server.user(),
                server.password(),
                "svc",
                2,
                true,
                Duration.ofSeconds(5),
                null,
                Duration.ofMinutes(10));
    }
}
