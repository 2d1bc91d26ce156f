package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An upgrade from a previous release: its database (a {@code pg_dump} made by that release,
 * recorded with {@code tools/upgrade-fixture/record}) is restored, this build's service starts on
 * it (Flyway applies every migration since), and every read answer the old release gave is given
 * again — the same values, new fields allowed — and the upgraded table takes the next commit.
 */
class UpgradeFromPreviousReleaseTest {

    private static final Path FIXTURES = Path.of("src/test/resources/upgrade");
    private static final String KEY = "upgrade-fixture-admin-key-0001";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigurableApplicationContext app;

    static Stream<String> releases() throws IOException {
        try (Stream<Path> dirs = Files.list(FIXTURES)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest(name = "from {0}")
    @MethodSource("releases")
    void everyAnswerOfThePreviousReleaseIsGivenAgainAfterTheUpgrade(String release) throws Exception {
        Path fixture = FIXTURES.resolve(release);
        TestDatabase db = TestDatabase.createAnother();
        run(
                "pg_restore",
                "--no-owner",
                "--dbname=" + libpq(db),
                fixture.resolve("metadata.dump").toString());

        TestHttp http = start(db);
        List<String> differences = new ArrayList<>();
        List<String> index = Files.readAllLines(fixture.resolve("answers/index.tsv"));
        assertThat(index).as("recorded answers").hasSizeGreaterThanOrEqualTo(10);
        for (String line : index) {
            String[] entry = line.split("\t", 2);
            JsonNode before = JSON.readTree(
                    fixture.resolve("answers/" + entry[0] + ".json").toFile());
            HttpResponse<String> now = http.get("/api/v1" + entry[1]);
            assertThat(now.statusCode()).as("GET %s: %s", entry[1], now.body()).isEqualTo(200);
            contains(entry[1], before, JSON.readTree(now.body()), differences);
        }
        assertThat(differences).as("answers that changed in the upgrade").isEmpty();

        HttpResponse<String> next = http.post(
                "/api/v1/tables/upgrade.s.events/commits",
                "{\"expected_version\":4,\"actions\":[{\"add\":{\"path\":\"day=4/e.parquet\","
                        + "\"partitionValues\":{\"day\":\"4\"},\"size\":600,\"modificationTime\":1700000000000,"
                        + "\"dataChange\":true}}]}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
        assertThat(JSON.readTree(next.body()).path("version").asLong()).isEqualTo(5);
    }

    /** Every value {@code before} holds is in {@code now} (objects may have gained fields). */
    private static void contains(String at, JsonNode before, JsonNode now, List<String> differences) {
        if (before.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields =
                            before.properties().iterator();
                    fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = now.get(field.getKey());
                if (value == null) {
                    differences.add(at + "." + field.getKey() + " is gone");
                } else {
                    contains(at + "." + field.getKey(), field.getValue(), value, differences);
                }
            }
        } else if (before.isArray()) {
            if (!now.isArray() || now.size() != before.size()) {
                differences.add(at + ": " + before + " became " + now);
                return;
            }
            for (int i = 0; i < before.size(); i++) {
                contains(at + "[" + i + "]", before.get(i), now.get(i), differences);
            }
        } else if (!before.equals(now)) {
            differences.add(at + ": " + before + " became " + now);
        }
    }

    private TestHttp start(TestDatabase db) {
        String[] args = {
            "--server.port=0",
            "--deltaplane.db.url=" + db.url(),
            "--deltaplane.db.user=" + db.user(),
            "--deltaplane.db.password=" + (db.password() == null ? "" : db.password()),
            "--deltaplane.security.admin-api-key=" + KEY,
            "--deltaplane.lineage.enabled=false",
            "--deltaplane.warehouse.root=target/test-warehouse-upgrade"
        };
        app = new SpringApplicationBuilder(MetadataServiceApplication.class).run(args);
        return TestHttp.local(((WebServerApplicationContext) app).getWebServer().getPort(), KEY);
    }

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
