package io.deltaplane.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.deltaplane.testing.ConnectionWatch;
import io.deltaplane.testing.ProcessSockets;
import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Pastes the docs into a shell, as a newcomer would: README.md's quick start (which starts the
 * platform with {@code ./platform up}), then every marked walk-through of {@code docs/*.md}, in a
 * fresh copy of this checkout against a throw-away database. A command that fails, or a
 * {@code curl -f} that gets an error, fails the test with the block's file and line.
 *
 * <p>{@code ./platform up} uses the fixed ports 8080-8083 and 9092-9093: stop a running platform
 * before {@code ./mvnw verify}.
 */
class DocsWalkthroughTest {

    private static final int[] PLATFORM_PORTS = {8080, 8081, 8082, 8083, 9092, 9093};
    /**
     * A page's commands, at most: a guard against a hang, not a speed check. storage.md (three storage
     * switches, each restarting three apps) took up to 581 s in CI beside metadata-service's tests.
     */
    private static final long BLOCK_TIMEOUT_MINUTES = 20;

    private static Path checkout;
    private static Path copy;
    private static Path logs;
    private static ConnectionWatch connections;

    @BeforeAll
    static void freshCopy() throws Exception {
        for (int port : PLATFORM_PORTS) {
            assertThat(listening(port))
                    .as("port %d is taken: stop ./platform (./platform down) before running the docs tests", port)
                    .isFalse();
        }
        checkout = Path.of("").toAbsolutePath().getParent();
        Path target = Path.of("target").toAbsolutePath();
        copy = FreshCopy.of(checkout, target.resolve("fresh-clone"));
        logs = Files.createDirectories(target.resolve("docs-tests"));
        // Every part ./platform starts carries its state directory as a marker; the emulators run
        // under a bash parent that carries it, so descendants are watched too.
        String marker = "-Ddeltaplane.platform.state=" + copy.resolve(".platform");
        Set<InetAddress> database = new HashSet<>(List.of(InetAddress.getAllByName(java.net
                .URI
                .create(TestDatabase.get().url().substring("jdbc:".length()))
                .getHost())));
        connections = ConnectionWatch.start(
                () -> ProcessSockets.matchingWithDescendants(
                        command -> List.of(command.split(" ")).contains(marker)),
                database::contains,
                Duration.ofSeconds(1));
    }

    @AfterAll
    static void platformDown() throws Exception {
        if (connections != null) {
            connections.close();
        }
        if (copy != null && Files.exists(copy.resolve(".platform"))) {
            run("./platform down", logs.resolve("platform-down.log"));
        }
    }

    @TestFactory
    Stream<DynamicTest> theQuickStartThenEveryWalkthrough() throws IOException {
        List<CommandBlocks> documents = new ArrayList<>();
        documents.add(CommandBlocks.quickStart(copy.resolve("README.md")));
        try (var pages = Files.list(copy.resolve("docs"))) {
            for (Path page :
                    pages.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                CommandBlocks walkthroughs = CommandBlocks.walkthroughs(page);
                if (!walkthroughs.blocks().isEmpty()) {
                    documents.add(walkthroughs);
                }
            }
        }
        assertThat(documents.get(0).blocks()).as("README quick start blocks").isNotEmpty();
        DynamicTest tryItOut = dynamicTest("every Swagger UI example, tried as pre-filled", () -> {
            String key =
                    Files.readString(copy.resolve(".platform/admin-api-key")).strip();
            assertThat(ContractExamples.run(copy, "http://localhost:8080", key))
                    .as("operations whose pre-filled example fails")
                    .isEmpty();
        });
        Stream<DynamicTest> pages = documents.stream()
                .map(doc -> dynamicTest(copy.relativize(doc.file()).toString(), () -> {
                    String name = doc.file().getFileName().toString().replace(".md", "");
                    String script = (doc.file().getFileName().toString().equals("README.md")
                                    ? ""
                                    : "export KEY=$(cat .platform/admin-api-key)\n")
                            + doc.script();
                    Path log = logs.resolve(name + ".log");
                    int exit = run(script, log);
                    assertThat(exit)
                            .as(
                                    "a command block of %s failed; its output (%s) ends with:%n%s%n%s",
                                    doc.file(), log, tail(log), PlatformLogs.problems(copy.resolve(".platform/logs")))
                            .isZero();
                }));
        DynamicTest demoReadsBack = dynamicTest("the demo's orders read back with Delta Kernel", () -> {
            Path orders = copy.resolve(".platform/warehouse/demo/sales/orders");
            DeltaTableRows.Totals totals = DeltaTableRows.read(orders.toUri().toString(), "amount");
            assertThat(totals.rows()).as("rows of demo.sales.orders").isEqualTo(3000);
            Path daily = copy.resolve(".platform/warehouse/demo/sales/daily_revenue");
            DeltaTableRows.Totals revenue = DeltaTableRows.read(daily.toUri().toString(), "revenue");
            assertThat(revenue.rows()).as("days of demo.sales.daily_revenue").isEqualTo(7);
            assertThat(revenue.sum()).as("total revenue = sum of the orders").isCloseTo(totals.sum(), within(1.0));
        });
        DynamicTest engines =
                dynamicTest("engines create and commit through the gateway with their own clients", () -> {
                    String key = Files.readString(copy.resolve(".platform/admin-api-key"))
                            .strip();
                    EngineScenarios.run("http://localhost:8080", key);
                });
        DynamicTest hostile = dynamicTest("every operation refuses hostile input with a 4xx and stores nothing", () -> {
            String key =
                    Files.readString(copy.resolve(".platform/admin-api-key")).strip();
            Map<String, Long> before = stableRowCounts();
            HostileInputs.Plan plan = HostileInputs.plan(copy);
            assertThat(plan.unresolved())
                    .as("body schemas the probe could not follow")
                    .isEmpty();
            HostileInputs.Outcome outcome = HostileInputs.send(plan, "http://localhost:8080", key);
            assertThat(outcome.sent())
                    .as("hostile requests sent, as planned")
                    .isEqualTo(plan.attempts().size());
            assertThat(outcome.failures())
                    .as("%d hostile requests", outcome.sent())
                    .isEmpty();
            assertThat(stableRowCounts()).as("rows of the services' tables").isEqualTo(before);
        });
        DynamicTest nothingBeyondThisMachine =
                dynamicTest("the platform's processes connected to nothing beyond loopback and the database", () -> {
                    List<ProcessSockets.Connection> beyond = connections.lookNow();
                    // the four apps, Kafka and the emulators (some restarted): else the marker matched nothing
                    assertThat(connections.processesWatched())
                            .as("processes of ./platform watched")
                            .isGreaterThanOrEqualTo(5);
                    assertThat(beyond)
                            .as("connections of ./platform's parts (the apps, Kafka, the storage emulators)"
                                    + " to other hosts during the walk-throughs")
                            .isEmpty();
                });
        // The demo's tables are read back right after the quick start made them (the storage page
        // moves them to the emulator later).
        List<DynamicTest> ordered = new ArrayList<>(pages.toList());
        ordered.add(1, demoReadsBack);
        return Stream.concat(ordered.stream(), Stream.of(engines, hostile, tryItOut, nothingBeyondThisMachine));
    }

    /**
     * Runs a bash script in the copy with a newcomer's environment: no DELTAPLANE_* settings but the
     * database and the apps' JVM options.
     */
    private static int run(String script, Path log) throws IOException, InterruptedException {
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", script)
                .directory(copy.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = bash.environment();
        env.keySet().removeIf(name -> name.startsWith("DELTAPLANE_") || name.equals("MOTHERDUCK_TOKEN"));
        TestDatabase database = TestDatabase.get();
        env.put("DELTAPLANE_DB_URL", database.url());
        env.put("DELTAPLANE_DB_USER", database.user());
        env.put("DELTAPLANE_DB_PASSWORD", java.util.Objects.requireNonNullElse(database.password(), ""));
        // ./platform's default JVM options plus C1 only: the walk-throughs restart the four apps
        // several times and run them briefly, and C1 alone starts them in about 60% of the time
        // (20 s against 33 s for the four on this 2-core machine). What they test is the commands.
        env.put("DELTAPLANE_JAVA_OPTS", "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        // and the dev broker likewise (./platform's default plus C1 only)
        env.put("DELTAPLANE_KAFKA_JAVA_OPTS", "-Xms128m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        // Pools that shrink when idle, as every other app under test has: ./platform's fixed ten
        // connections per app (40) beside the fault suite's platform and the test JVMs Maven runs
        // side by side took Postgres past its default 100 connections in CI.
        env.put("DELTAPLANE_DB_MINIDLE", TestDatabase.MIN_IDLE);
        env.put("DELTAPLANE_DB_IDLETIMEOUT", TestDatabase.IDLE_TIMEOUT);
        // ./platform up waits 240 s for the apps by default; beside the rest of the build on two
        // cores a restart has taken 164 s, and one more busy module took it past 240 s.
        env.put("DELTAPLANE_UP_TIMEOUT", "600");
        Process process = bash.start();
        if (!process.waitFor(BLOCK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        System.out.println(Files.readString(log, StandardCharsets.UTF_8));
        return process.exitValue();
    }

    /**
     * What users store, counted per table; background bookkeeping (publish queue, outboxes) is left
     * out, and so is the lineage of maintenance runs ({@code maintenance:<table>} jobs): the worker
     * runs by policy every minute and records a failed run for a table whose storage is not running
     * (the storage walk-through leaves tables on S3 and Azurite), whatever a request does.
     */
    static final Map<String, String> CONTENT_COUNTS = contentCounts();

    private static Map<String, String> contentCounts() {
        String userRuns = "run_id IN (SELECT r.id FROM lineage.runs r JOIN lineage.jobs j ON j.id = r.job_id"
                + " WHERE j.name NOT LIKE 'maintenance:%')";
        Map<String, String> counts = new java.util.TreeMap<>();
        for (String table : List.of(
                "metadata.catalogs",
                "metadata.schemas",
                "metadata.tables",
                "metadata.commits",
                "metadata.files",
                "lineage.artifacts",
                "lineage.edges",
                "ingest.mappings")) {
            counts.put(table, "SELECT count(*) FROM " + table);
        }
        counts.put("lineage.jobs", "SELECT count(*) FROM lineage.jobs WHERE name NOT LIKE 'maintenance:%'");
        counts.put(
                "lineage.runs",
                "SELECT count(*) FROM lineage.runs r JOIN lineage.jobs j ON j.id = r.job_id"
                        + " WHERE j.name NOT LIKE 'maintenance:%'");
        counts.put(
                "lineage.openlineage_events",
                "SELECT count(*) FROM lineage.openlineage_events WHERE job_name NOT LIKE 'maintenance:%'");
        counts.put(
                "lineage.events",
                "SELECT count(*) FROM lineage.events WHERE job_id IS NULL OR job_id IN"
                        + " (SELECT id FROM lineage.jobs WHERE name NOT LIKE 'maintenance:%')");
        counts.put("lineage.run_inputs", "SELECT count(*) FROM lineage.run_inputs WHERE " + userRuns);
        counts.put("lineage.snapshots", "SELECT count(*) FROM lineage.snapshots WHERE run_id IS NULL OR " + userRuns);
        return java.util.Collections.unmodifiableMap(counts);
    }

    /** Row counts of the content tables, once two readings a second apart agree (the relay settles). */
    private static Map<String, Long> stableRowCounts() throws Exception {
        Map<String, Long> previous = rowCounts();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(1000);
            Map<String, Long> now = rowCounts();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private static Map<String, Long> rowCounts() throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (java.sql.Connection db = TestDatabase.get().connect();
                java.sql.Statement sql = db.createStatement()) {
            for (Map.Entry<String, String> count : CONTENT_COUNTS.entrySet()) {
                try (java.sql.ResultSet rs = sql.executeQuery(count.getValue())) {
                    rs.next();
                    counts.put(count.getKey(), rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
