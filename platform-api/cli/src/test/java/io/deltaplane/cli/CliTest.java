package io.deltaplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's contract with scripts: exit codes, output formats, error text. The server side is a
 * scripted JDK HTTP server answering what the gateway would; the CLI against the real platform is
 * exercised by docs/cli.md's walk-through in the docs tests.
 */
class CliTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "{}";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status < 400 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private record Result(int exit, String out, String err) {}

    private Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DeltaplaneCli.run(env, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Map<String, String> env() {
        return Map.of(
                "DELTAPLANE_API_URL",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "DELTAPLANE_API_KEY",
                "key_0123456789abcdef");
    }

    @Test
    void missingSettingsAreAConfigurationErrorThatNamesTheVariable() {
        Result result = run(Map.of(), "catalogs", "list");
        assertThat(result.exit()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        assertThat(result.err()).contains("DELTAPLANE_API_URL");
        assertThat(requests).isEmpty();
    }

    @Test
    void aWrongCommandLineIsAUsageError() {
        assertThat(run(env(), "tables", "frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(env(), "catalogs").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(env(), "--output", "yaml", "catalogs", "list").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(requests).isEmpty();
    }

    @Test
    void problemsBecomeExitCodesAndOneLineWithTheCodeAndRequestId() {
        status = 404;
        body = "{\"status\":404,\"detail\":\"No API key 'k1'.\",\"error_code\":\"API_KEY_NOT_FOUND\","
                + "\"request_id\":\"req-42\"}";
        Result notFound = run(env(), "keys", "revoke", "k1");
        assertThat(notFound.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notFound.err()).contains("No API key 'k1'.", "API_KEY_NOT_FOUND", "req-42");

        status = 403;
        body = "{\"status\":403,\"detail\":\"needs admin\",\"error_code\":\"FORBIDDEN\"}";
        assertThat(run(env(), "keys", "list").exit()).isEqualTo(ExitCodes.AUTH);

        status = 409;
        body = "{\"status\":409,\"detail\":\"exists\",\"error_code\":\"ALREADY_EXISTS\"}";
        assertThat(run(env(), "keys", "create", "--name", "a", "--scope", "read")
                        .exit())
                .isEqualTo(ExitCodes.CONFLICT);

        status = 422;
        body = "{\"status\":422,\"detail\":\"bad\",\"error_code\":\"VALIDATION_FAILED\"}";
        assertThat(run(env(), "keys", "create", "--name", "a", "--scope", "root")
                        .exit())
                .isEqualTo(ExitCodes.INVALID_REQUEST);
    }

    @Test
    void anUnreachablePlatformIsUnavailable() {
        server.stop(0);
        Result result = run(env(), "keys", "list");
        assertThat(result.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).contains("not reachable");
    }

    @Test
    void theKeyIsSentAsBearerAndNeverPrinted() {
        body =
                "{\"api_keys\":[{\"id\":\"k1\",\"name\":\"etl\",\"prefix\":\"dp_abc\",\"scope\":\"write\",\"active\":true}]}";
        Result result = run(env(), "keys", "list");
        assertThat(result.exit()).isZero();
        assertThat(requests).containsExactly("GET /api/v1/admin/api-keys Bearer key_0123456789abcdef");
        assertThat(result.out()).contains("etl", "write").doesNotContain("key_0123456789abcdef");

        Result config = run(env(), "validate-config");
        assertThat(config.out()).contains("key_0123…").doesNotContain("key_0123456789abcdef");
    }

    @Test
    void aTokenFileSignsInInsteadOfAKeyAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n");
        Map<String, String> sso = Map.of(
                "DELTAPLANE_API_URL",
                "http://127.0.0.1:" + server.getAddress().getPort(),
                "DELTAPLANE_TOKEN_FILE",
                token.toString());
        body = "{\"catalogs\":[],\"next_page_token\":null}";
        Result listed = run(sso, "catalogs", "list");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(requests)
                .singleElement()
                .satisfies(request -> assertThat(request)
                        .startsWith("GET /api/v1/catalogs")
                        .endsWith(" Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));

        Result config = run(sso, "validate-config");
        assertThat(config.out()).contains("a token from " + token).doesNotContain("c2ln");

        Map<String, String> both = new java.util.HashMap<>(sso);
        both.put("DELTAPLANE_API_KEY", "key_0123456789abcdef");
        Result refused = run(both, "catalogs", "list");
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        assertThat(refused.err()).contains("not several");
    }

    @Test
    void auditExportsJsonLinesAndVerifyFailsOnABrokenChain() throws Exception {
        body = "{\"events\":[{\"id\":2,\"action\":\"POST /x\"},{\"id\":1,\"action\":\"DELETE /y\"}],"
                + "\"next_page_token\":null}";
        Result exported = run(env(), "audit", "export", "--securable", "main.sales");
        assertThat(exported.exit()).as(exported.err()).isZero();
        ObjectMapper json = new ObjectMapper();
        assertThat(exported.out().lines().map(line -> {
                    try {
                        return json.readTree(line);
                    } catch (Exception e) {
                        throw new AssertionError("not one JSON document per line: " + line, e);
                    }
                }))
                .containsExactly(
                        json.readTree("{\"id\":2,\"action\":\"POST /x\"}"),
                        json.readTree("{\"id\":1,\"action\":\"DELETE /y\"}"));
        assertThat(requests.get(0)).startsWith("GET /api/v1/audit?securable=main.sales&max_results=1000 ");

        body = "{\"intact\":false,\"broken_at\":3,\"reason\":\"row with seq 3 (id 7) was changed\"}";
        Result verified = run(env(), "audit", "verify");
        assertThat(verified.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(verified.out()).contains("was changed");
    }

    @Test
    void healthExitsNineForALateTableAndIncidentsListFilters() throws Exception {
        body = "{\"table\":\"main.sales.orders\",\"status\":\"LATE\",\"staleness_seconds\":4560,"
                + "\"freshness\":{\"source\":\"learned\",\"allowed_silence_seconds\":4500}}";
        Result late = run(env(), "-o", "json", "health", "main.sales.orders");
        assertThat(late.exit()).as(late.err()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(new ObjectMapper()
                        .readTree(late.out())
                        .get("staleness_seconds")
                        .asLong())
                .isEqualTo(4560);
        assertThat(requests.get(0)).startsWith("GET /api/v1/tables/main.sales.orders/health ");

        body = "{\"table\":\"main.sales.orders\",\"status\":\"FRESH\",\"staleness_seconds\":60}";
        assertThat(run(env(), "health", "main.sales.orders").exit()).isZero();

        body = "{\"job_name\":\"load_orders\",\"status\":\"FAILING\",\"reason\":\"its last run r1 failed\","
                + "\"consecutive_failures\":1,\"runs_read\":6}";
        Result failing = run(env(), "-o", "json", "health", "--job", "load_orders");
        assertThat(failing.exit()).as(failing.err()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(failing.out()).contains("its last run r1 failed");
        assertThat(requests.get(requests.size() - 1)).startsWith("GET /api/v1/jobs/load_orders/health ");
        body = "{\"job_name\":\"load_orders\",\"status\":\"HEALTHY\",\"consecutive_failures\":0,\"runs_read\":7}";
        assertThat(run(env(), "health", "--job", "load_orders").exit()).isZero();
        assertThat(run(env(), "health").exit()).as("neither a table nor a job").isEqualTo(ExitCodes.USAGE);
        requests.clear();

        body = "{\"incidents\":[{\"id\":\"6f1c2b7e-0000-4000-8000-000000000001\",\"table\":\"main.sales.orders\","
                + "\"status\":\"OPEN\",\"staleness_seconds\":4560,\"expectation\":\"declared on schema\"}],"
                + "\"next_page_token\":null}";
        Result listed = run(env(), "incidents", "list", "--status", "OPEN", "--catalog", "main", "--limit", "5");
        assertThat(listed.exit()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("main.sales.orders", "OPEN", "declared on schema");
        assertThat(requests.get(0)).startsWith("GET /api/v1/incidents?status=OPEN&catalog_name=main&max_results=5 ");
    }

    @Test
    void webhooksAreCreatedByReferenceToTheirSecrets() throws Exception {
        body = "{\"name\":\"oncall\",\"owner\":\"sales\",\"url\":\"https://hooks.example.com/x\","
                + "\"signing_secret\":\"DELTAPLANE_SECRET_ONCALL\",\"format\":\"slack\"}";
        status = 201;
        Result created = run(
                env(),
                "webhooks",
                "create",
                "oncall",
                "--url",
                "https://hooks.example.com/x",
                "--signing-secret",
                "DELTAPLANE_SECRET_ONCALL",
                "--format",
                "slack");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(requests.get(0)).startsWith("POST /api/v1/health/webhooks ");
        assertThat(new ObjectMapper().readTree(bodies.get(0)))
                .isEqualTo(new ObjectMapper()
                        .readTree("{\"name\":\"oncall\",\"url\":\"https://hooks.example.com/x\","
                                + "\"signing_secret\":\"DELTAPLANE_SECRET_ONCALL\",\"format\":\"slack\"}"));

        status = 400;
        body = "{\"status\":400,\"error_code\":\"VALIDATION_FAILED\",\"detail\":\"url must be http(s), to a host"
                + " the operator allows\"}";
        Result refused = run(env(), "webhooks", "create", "x", "--url", "https://attacker.example/x");
        assertThat(refused.exit()).isEqualTo(ExitCodes.INVALID_REQUEST);
        assertThat(refused.err()).contains("host the operator allows");
    }

    @Test
    void grantsAreUnityCatalogPermissionChanges() throws Exception {
        body = "{\"privilege_assignments\":[{\"principal\":\"sales\",\"privileges\":[\"SELECT\",\"USE_CATALOG\"]}]}";
        Result granted = run(env(), "grants", "grant", "catalog", "main", "--to", "sales", "USE_CATALOG", "SELECT");
        assertThat(granted.exit()).as(granted.err()).isZero();
        assertThat(requests)
                .containsExactly("PATCH /api/2.1/unity-catalog/permissions/catalog/main Bearer key_0123456789abcdef");
        assertThat(new ObjectMapper().readTree(bodies.get(0)))
                .isEqualTo(new ObjectMapper()
                        .readTree("{\"changes\":[{\"principal\":\"sales\",\"add\":[\"USE_CATALOG\",\"SELECT\"]}]}"));
        assertThat(granted.out()).contains("sales", "USE_CATALOG");

        Result revoked = run(env(), "grants", "revoke", "table", "main.s.t", "--from", "sales", "SELECT");
        assertThat(revoked.exit()).isZero();
        assertThat(new ObjectMapper().readTree(bodies.get(1)))
                .isEqualTo(new ObjectMapper()
                        .readTree("{\"changes\":[{\"principal\":\"sales\",\"remove\":[\"SELECT\"]}]}"));
        assertThat(run(env(), "grants", "grant", "catalog", "main", "SELECT").exit())
                .as("a grant names its principal")
                .isEqualTo(2);
    }

    @Test
    void tablesAlignColumnsAndJsonIsTheApisJson() throws Exception {
        body = "{\"api_keys\":[{\"id\":\"k1\",\"name\":\"etl\",\"prefix\":\"dp_abc\",\"principal\":\"etl_sp\","
                + "\"scope\":\"write\",\"active\":true},{\"id\":\"k22\",\"name\":\"nightly\",\"prefix\":\"dp_def\","
                + "\"principal\":\"k22\",\"scope\":\"read\",\"active\":false}]}";
        Result table = run(env(), "keys", "list");
        assertThat(table.out().lines().toList())
                .containsExactly(
                        "ID   NAME     PREFIX  PRINCIPAL  SCOPE  ACTIVE",
                        "k1   etl      dp_abc  etl_sp     write  true",
                        "k22  nightly  dp_def  k22        read   false");

        Result json = run(env(), "-o", "json", "keys", "list");
        assertThat(new ObjectMapper().readTree(json.out()).get(1).get("name").asText())
                .isEqualTo("nightly");
    }

    @Test
    void optimizeSendsWhereAndTargetAndPrintsWhatTheServiceDid() throws Exception {
        body = "{\"table\":\"c.s.t\",\"version\":12,\"read_version\":11,\"where\":{\"day\":\"2026-11-01\"},"
                + "\"target_file_size_bytes\":4096,\"partitions_optimized\":1,\"files_removed\":9,"
                + "\"files_added\":1,\"bytes_removed\":9000,\"bytes_added\":4000,\"attempts\":1,"
                + "\"duration_ms\":35}";
        Result result = run(
                env(),
                "-o",
                "json",
                "tables",
                "optimize",
                "c.s.t",
                "--where",
                "day=2026-11-01",
                "--target-file-size",
                "4096");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(requests).singleElement().asString().startsWith("POST /api/v1/tables/c.s.t/optimize ");
        var sent = new ObjectMapper().readTree(bodies.get(0));
        assertThat(sent.get("where").get("day").asText()).isEqualTo("2026-11-01");
        assertThat(sent.get("target_file_size_bytes").asLong()).isEqualTo(4096);
        var printed = new ObjectMapper().readTree(result.out());
        assertThat(printed.get("version").asLong()).isEqualTo(12);
        assertThat(printed.get("files_removed").asInt()).isEqualTo(9);
    }

    @Test
    void vacuumSendsItsOptionsAndPrintsWhatWouldGo() throws Exception {
        body = "{\"table\":\"c.s.t\",\"dry_run\":true,\"retention_hours\":0.0,"
                + "\"cutoff\":\"2026-11-25T12:00:00Z\",\"file_count\":2,\"bytes\":20,"
                + "\"paths\":[\"a.parquet\",\"b.parquet\"],\"paths_truncated\":false,\"failed\":0,"
                + "\"duration_ms\":4}";
        Result result = run(
                env(),
                "-o",
                "json",
                "tables",
                "vacuum",
                "c.s.t",
                "--dry-run",
                "--retention-hours",
                "0",
                "--allow-short-retention");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(requests).singleElement().asString().startsWith("POST /api/v1/tables/c.s.t/vacuum ");
        var sent = new ObjectMapper().readTree(bodies.get(0));
        assertThat(sent.get("dry_run").asBoolean()).isTrue();
        assertThat(sent.get("retention_hours").asDouble()).isZero();
        assertThat(sent.get("allow_short_retention").asBoolean()).isTrue();
        assertThat(new ObjectMapper().readTree(result.out()).get("paths").size())
                .isEqualTo(2);
    }

    @Test
    void ownershipIsTransferredWithUnityCatalogsPatch() throws Exception {
        body = "{\"name\":\"t\",\"full_name\":\"c.s.t\",\"owner\":\"team_b\"}";
        Result result = run(env(), "grants", "owner", "table", "c.s.t", "team_b");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(requests).singleElement().asString().startsWith("PATCH /api/2.1/unity-catalog/tables/c.s.t ");
        assertThat(new ObjectMapper().readTree(bodies.get(0)).get("owner").asText())
                .isEqualTo("team_b");
        assertThat(result.out()).contains("table c.s.t is owned by team_b");
        assertThat(run(env(), "grants", "owner", "metastore", "m", "x").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void statusFailsWhenAServiceBehindTheGatewayIsDown() {
        status = 503;
        body = "{\"status\":503,\"detail\":\"metadata unavailable\",\"error_code\":\"SERVICE_UNAVAILABLE\"}";
        Result result = run(env(), "status");
        assertThat(result.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(result.out()).contains("metadata-service  DOWN");
    }

    @Test
    void lineageIsDrawnAsATreeBothWays() throws Exception {
        var graph = new ObjectMapper().readTree("""
                {"root": "job:curate", "edges": [
                  {"from": "table:raw.s.orders", "to": "job:curate", "type": "read"},
                  {"from": "job:curate", "to": "table:cur.s.orders", "type": "write"},
                  {"from": "table:cur.s.orders", "to": "job:report", "type": "read"},
                  {"from": "job:report", "to": "table:mart.s.daily", "type": "write"}]}
                """);
        assertThat(LineageCommand.render(graph)).isEqualTo("""
                job:curate
                  downstream
                    └─ write → table:cur.s.orders
                       └─ read → job:report
                          └─ write → table:mart.s.daily
                  upstream
                    └─ read ← table:raw.s.orders
                """);
    }
}
