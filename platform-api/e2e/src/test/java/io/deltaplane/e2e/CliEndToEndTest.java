package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.e2e.CliProcess.Run;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code deltaplane} command line against the real platform ({@link EndToEndPlatform}), as a
 * user runs it: {@code ./deltaplane} (which launches {@code deltaplane-cli.jar}) with the
 * gateway's URL and a key in the environment, each command a process of its own, its exit code and
 * output checked — the admin commands (principals, groups, keys, the audit chain), tables, runs and
 * lineage, each of which calls the clients generated from the committed contract.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class CliEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static EndToEndPlatform platform;
    static TestHttp admin;

    @BeforeAll
    static void connect(EndToEndPlatform shared) {
        platform = shared;
        admin = new TestHttp(shared.gatewayUrl(), shared.adminKey());
        assertThat(CliProcess.JAR).as("the CLI jar, built before this module").isRegularFile();
    }

    @Test
    void statusAndWhoamiSeeEveryPartAndTheAdmin() throws Exception {
        Run status = cli("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("metadata-service", "lineage-service", "ingest-worker");
        assertThat(status.out()).doesNotContain("DOWN");

        Run me = cli("-o", "json", "whoami");
        assertThat(me.exit()).as(me.err()).isZero();
        assertThat(me.json().path("scope").asString()).isEqualTo("admin");
    }

    @Test
    void anAdminSetsUpATeamAKeyForItAndTheAuditChainHoldsIt() throws Exception {
        String team = unique("cli-team");
        String user = unique("cli-user") + "@example.com";
        assertThat(cli("principals", "create", team, "--type", "group").exit()).isZero();
        assertThat(cli("principals", "create", user, "--type", "user").exit()).isZero();
        assertThat(cli("groups", "add", team, user).exit()).isZero();

        Run members = cli("-o", "json", "groups", "members", team);
        assertThat(members.exit()).as(members.err()).isZero();
        assertThat(members.json().findValuesAsString("principal")).containsExactly(user);
        Run shown = cli("-o", "json", "principals", "show", user);
        assertThat(shown.json().path("groups").toString()).contains(team);
        Run listed = cli("-o", "json", "principals", "list");
        assertThat(listed.json().findValuesAsString("name")).contains(team, user);

        Run created = cli("-o", "json", "keys", "create", "--name", unique("cli-key"), "--principal", user);
        assertThat(created.exit()).as(created.err()).isZero();
        String key = created.json().path("key").asString();
        String id = created.json().path("id").asString();
        assertThat(key).isNotBlank();
        Run asUser = cliAs(key, "-o", "json", "whoami");
        assertThat(asUser.json().path("principal").asString()).isEqualTo(user);
        assertThat(asUser.json().path("groups").toString()).contains(team);
        Run keys = cli("keys", "list");
        assertThat(keys.out()).contains(id).doesNotContain(key);

        // the key may do nothing its principal was not granted: a 403 is exit code 6
        assertThat(cliAs(key, "keys", "list").exit()).isEqualTo(6);
        assertThat(cli("keys", "revoke", id).exit()).isZero();
        Run revoked = cliAs(key, "whoami");
        assertThat(revoked.exit()).isEqualTo(6);

        String me = cli("-o", "json", "whoami").json().path("principal").asString();
        Run exported = cli("audit", "export", "--principal", me);
        assertThat(exported.exit()).as(exported.err()).isZero();
        List<JsonNode> events = new ArrayList<>();
        exported.out().lines().forEach(line -> events.add(JSON.readTree(line)));
        assertThat(events)
                .as("the admin's changes, one JSON document per line")
                .anySatisfy(e -> assertThat(e.path("action").asString()).isEqualTo("POST /api/v1/admin/principals"));
        assertThat(events)
                .allSatisfy(e -> assertThat(e.path("principal").asString()).isEqualTo(me));
        Run verified = cli("audit", "verify");
        assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
        assertThat(verified.out()).contains("intact");
    }

    @Test
    void tablesRunsAndLineageReadBackWhatThePlatformHolds() throws Exception {
        String catalog = unique("cli_cat").replace('-', '_');
        assertThat(cli("catalogs", "create", catalog).exit()).isZero();
        assertThat(cli("schemas", "create", catalog + ".s").exit()).isZero();
        String table = catalog + ".s.t";
        Run made = cli("tables", "create", table, "-c", "id:long:not-null", "-c", "name:string");
        assertThat(made.exit()).as(made.err()).isZero();
        Path rows = Files.writeString(
                Files.createTempFile("cli-rows", ".jsonl"),
                "{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b\"}\n");
        Run appended = cli("tables", "append", table, "-f", rows.toString());
        assertThat(appended.exit()).as(appended.err()).isZero();

        Run history = cli("-o", "json", "tables", "history", table);
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.json()).hasSize(2);
        assertThat(history.json().get(0).path("operation").asString()).isEqualTo("WRITE");
        Run files = cli("-o", "json", "tables", "files", table, "--version", "1");
        assertThat(files.json()).hasSize(1);
        assertThat(files.json().get(0).path("path").asString()).endsWith(".parquet");
        Run maintenance = cli("-o", "json", "tables", "maintenance", table);
        assertThat(maintenance.exit()).as(maintenance.err()).isZero();

        // a run of a job that read the table: listed across jobs, shown, and in the lineage graph
        String job = unique("cli_job").replace('-', '_');
        JsonNode started = JSON.readTree(ok(admin.post("/api/v1/jobs/" + job + "/runs", "{}")));
        String runId = started.path("run_id").asString();
        readsTheLatestSnapshot(runId, table);
        ok(admin.put("/api/v1/jobs/" + job + "/runs/" + runId + "/complete", "{\"success\": true}"));
        Run runs = cli("-o", "json", "runs", "list", "--job", job);
        assertThat(runs.json().findValuesAsString("run_id")).containsExactly(runId);
        Run completed = cli("-o", "json", "runs", "list", "--job", job, "--state", "completed");
        assertThat(completed.json().findValuesAsString("run_id")).containsExactly(runId);
        assertThat(cli("-o", "json", "runs", "list", "--job", job, "--state", "FAILED")
                        .json())
                .isEmpty();
        Run run = cli("-o", "json", "runs", "show", runId);
        assertThat(run.json().path("state").asString()).isEqualTo("COMPLETED");
        assertThat(cli("runs", "show", "not-a-run").exit()).isNotZero();
        Run lineage = cli("lineage", "table:" + table);
        assertThat(lineage.exit()).as(lineage.err()).isZero();
        assertThat(lineage.out()).contains("job:" + job);

        Run missing = cli("tables", "history", catalog + ".s.missing");
        assertThat(missing.exit()).as("no such table").isEqualTo(4);
    }

    @Test
    void anUnreachableGatewayIsExitCodeSevenAndSaysWhere() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run run = run("http://127.0.0.1:" + closed, platform.adminKey(), "principals", "list");
        assertThat(run.exit()).isEqualTo(7);
        assertThat(run.err()).contains("not reachable at http://127.0.0.1:" + closed);
    }

    /**
     * The CLI appends any value its column's type holds — partition values with {@code % / = + },
     * spaces, unicode and null; doubles NaN and ±infinity — and Delta Kernel, reading the published
     * log as any Delta engine does, reads each row back as it was given.
     */
    @Test
    void anyValueTheTypeHoldsAppendsAndReadsBackWithDeltaKernel() throws Exception {
        String catalog = unique("cli_values").replace('-', '_');
        assertThat(cli("catalogs", "create", catalog).exit()).isZero();
        assertThat(cli("schemas", "create", catalog + ".s").exit()).isZero();
        String table = catalog + ".s.t";
        Run made = cli(
                "tables",
                "create",
                table,
                "-c",
                "id:long:not-null",
                "-c",
                "x:double",
                "-c",
                "part:string",
                "--partition-by",
                "part");
        assertThat(made.exit()).as(made.err()).isZero();
        List<String> parts = java.util.Arrays.asList("a%b", "x/y", "p=q", "s t", "é", "a+b", "ä/%=+ ü", "", null);
        List<Object> xs = List.of(1.5, "nan", "-inf", "inf", -0.0, Double.MAX_VALUE, 1.5, 2.5, 3.5);
        StringBuilder rows = new StringBuilder();
        java.util.Map<Long, String> expected = new java.util.TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            Object x = xs.get(i);
            rows.append("{\"id\":")
                    .append(i)
                    .append(",\"x\":")
                    .append(JSON.writeValueAsString(x))
                    .append(",\"part\":")
                    .append(JSON.writeValueAsString(parts.get(i)))
                    .append("}\n");
            double value = x instanceof String s
                    ? switch (s) {
                        case "nan" -> Double.NaN;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.POSITIVE_INFINITY;
                    }
                    : (Double) x;
            // the empty string too: Kernel reads a string partition value "" as given (delta-spark too)
            expected.put((long) i, value + "|" + parts.get(i));
        }
        Path file = Files.writeString(Files.createTempFile("cli-values", ".jsonl"), rows.toString());
        Run appended = cli("tables", "append", table, "-f", file.toString());
        assertThat(appended.exit()).as(appended.err()).isZero();

        JsonNode described = JSON.readTree(ok(admin.get("/api/v1/tables/" + table)));
        long version = described.path("version").asLong();
        awaitPublished(table, version);
        io.delta.kernel.engine.Engine kernel =
                io.delta.kernel.defaults.engine.DefaultEngine.create(new org.apache.hadoop.conf.Configuration());
        io.delta.kernel.Snapshot snapshot = io.delta.kernel.TableManager.loadSnapshot(
                        described.path("location").asString())
                .atVersion(version)
                .build(kernel);
        java.util.Map<Long, String> read = new java.util.TreeMap<>();
        io.deltaplane.testing.DeltaScan.forEachRow(snapshot, kernel, row -> {
            var part = row.column("part");
            read.put(
                    row.column("id").getLong(row.index()),
                    row.column("x").getDouble(row.index()) + "|"
                            + (part.isNullAt(row.index()) ? null : part.getString(row.index())));
        });
        assertThat(read).isEqualTo(expected);
    }

    private static void awaitPublished(String table, long version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (JSON.readTree(ok(admin.get("/api/v1/tables/" + table + "/publish")))
                        .path("published_version")
                        .asLong(-1)
                < version) {
            assertThat(System.nanoTime())
                    .as("%s published to version %d", table, version)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * The run reads the table's latest snapshot, which records it as the run's input — once lineage
     * has the snapshot (the commit reaches it through metadata-service's relay, a moment later).
     */
    private static void readsTheLatestSnapshot(String runId, String table) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpResponse<String> read;
        while ((read = admin.get("/api/v1/tables/" + table + "/snapshots/latest?run_id=" + runId)).statusCode()
                == 404) {
            assertThat(System.nanoTime()).as("lineage has %s's snapshot", table).isLessThan(deadline);
            Thread.sleep(200);
        }
        ok(read);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return response.body();
    }

    /** A command with the admin key. */
    private static Run cli(String... args) throws IOException, InterruptedException {
        return run(platform.gatewayUrl(), platform.adminKey(), args);
    }

    /** A command with another key. */
    private static Run cliAs(String key, String... args) throws IOException, InterruptedException {
        return run(platform.gatewayUrl(), key, args);
    }

    private static Run run(String url, String key, String... args) throws IOException, InterruptedException {
        return CliProcess.run(url, key, args);
    }
}
