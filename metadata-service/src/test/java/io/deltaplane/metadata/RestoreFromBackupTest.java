package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Postgres restored from a backup older than the log, as an operator does it: {@code pg_dump} while
 * the platform runs, more versions committed and published (clients were told they committed),
 * the service stopped, {@code pg_restore}, {@code tools/backup/mark-restored.sql}, the service
 * started. The versions after the backup are adopted from {@code _delta_log} before the service
 * takes a request — the table's history, files and log are what they were before the restore, and
 * the next commit takes the next version, not one the log already holds.
 */
class RestoreFromBackupTest extends MetadataTestBase {

    private static final Path MARK_RESTORED = Path.of("../tools/backup/mark-restored.sql");

    private final TestDatabase db = TestDatabase.createAnother();
    private final Path warehouse = Path.of("target/test-warehouse-restore-" + System.nanoTime());
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void versionsPublishedAfterTheBackupAreAdoptedFromTheLogBeforeTheServiceServes() throws Exception {
        TestHttp before = start();
        ok(before.post("/api/v1/catalogs", "{\"name\":\"r\"}"), 201);
        ok(before.post("/api/v1/schemas", "{\"catalog_name\":\"r\",\"name\":\"s\"}"), 201);
        ok(before.post("/api/v1/tables", tableBody("r", Map.of())), 201);
        String table = "r.s.t";
        String commits = "/api/v1/tables/" + table + "/commits";
        for (int v = 0; v < 2; v++) {
            ok(before.post(commits, commitBody(v, List.of(add("backed-up-" + v + ".parquet", 10)))), 201);
        }
        awaitPublished(before, table, 2);
        Path dump = Files.createTempFile("deltaplane-backup", ".dump");
        run("pg_dump", "--format=custom", "--file=" + dump, "--dbname=" + libpq(db));

        for (int v = 2; v < 4; v++) {
            ok(before.post(commits, commitBody(v, List.of(add("after-backup-" + v + ".parquet", 10)))), 201);
        }
        awaitPublished(before, table, 4);
        JsonNode history = ok(before.get("/api/v1/tables/" + table + "/history"), 200);
        Path log = Path.of(java.net.URI.create(ok(before.get("/api/v1/tables/" + table), 200)
                        .path("location")
                        .asString()))
                .resolve("_delta_log");
        byte[] version3 = Files.readAllBytes(log.resolve("%020d.json".formatted(3)));
        app.close();

        run("pg_restore", "--clean", "--if-exists", "--dbname=" + libpq(db), dump.toString());
        assertThat(currentVersion()).as("Postgres, restored, is behind the log").isEqualTo(2);
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute(Files.readString(MARK_RESTORED));
        }

        TestHttp after = start();
        assertThat(currentVersion()).as("adopted before the service served").isEqualTo(4);
        assertThat(ok(after.get("/api/v1/tables/" + table + "/history"), 200))
                .as("history, timestamps and commitInfo as acknowledged")
                .isEqualTo(history);
        JsonNode files = ok(after.get("/api/v1/tables/" + table + "/snapshot/files"), 200);
        List<String> paths = new ArrayList<>();
        files.path("files").forEach(f -> paths.add(f.path("path").asString()));
        assertThat(paths)
                .containsExactlyInAnyOrder(
                        "backed-up-0.parquet",
                        "backed-up-1.parquet",
                        "after-backup-2.parquet",
                        "after-backup-3.parquet");

        JsonNode next = ok(after.post(commits, commitBody(4, List.of(add("after-restore.parquet", 10)))), 201);
        assertThat(next.path("version").asLong()).isEqualTo(5);
        awaitPublished(after, table, 5);
        assertThat(Files.readAllBytes(log.resolve("%020d.json".formatted(3))))
                .as("the log's versions are never rewritten")
                .isEqualTo(version3);
        JsonNode status = ok(after.get("/api/v1/tables/" + table + "/publish"), 200);
        assertThat(status.path("last_error").isNull()
                        || status.path("last_error").isMissingNode())
                .as("no FOREIGN or CONFLICT alarm: %s", status)
                .isTrue();
        assertThat(count("SELECT count(*) FROM metadata.restore_checks")).isZero();
    }

    private TestHttp start() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("deltaplane.db.url", db.url());
        properties.put("deltaplane.db.user", db.user());
        properties.put("deltaplane.db.password", db.password() == null ? "" : db.password());
        properties.put("deltaplane.security.admin-api-key", ADMIN_KEY);
        properties.put("deltaplane.warehouse.root", warehouse.toString());
        // As arguments: they take precedence over application.yml, as an operator's settings do.
        app = new SpringApplicationBuilder(MetadataServiceApplication.class)
                .run(properties.entrySet().stream()
                        .map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
        return TestHttp.local(((WebServerApplicationContext) app).getWebServer().getPort(), ADMIN_KEY);
    }

    private static void awaitPublished(TestHttp http, String table, long version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ok(http.get("/api/v1/tables/" + table + "/publish"), 200)
                        .path("published_version")
                        .asLong(-1)
                < version) {
            assertThat(System.nanoTime()).as("version %d published", version).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private long currentVersion() throws SQLException {
        return count("SELECT current_version FROM metadata.tables WHERE catalog = 'r' AND schema = 's' AND name = 't'");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The test database as a libpq URI, for pg_dump and pg_restore. */
    private static String libpq(TestDatabase db) {
        return db.url().replaceFirst("^jdbc:postgresql://", "postgresql://" + db.user() + "@");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor())
                .as("%s: %s", String.join(" ", command), output)
                .isZero();
    }
}
