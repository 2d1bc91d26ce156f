package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Inputs an attacker or a careless client sends, each answered with a 4xx problem (or the Unity
 * Catalog error shape on that surface) and nothing stored — never a 5xx or a timeout. One test per
 * class of input; each counts what it sent.
 */
class HostileInputsTest extends MetadataTestBase {

    /**
     * Sends {@code body} chunked (no Content-Length, so only counting while reading can stop it)
     * from one thread while this one reads the answer's status line: the server may answer and
     * close before the body ends, which a client that first sends everything never sees.
     */
    private int chunkedStatus(String path, InputStream body) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            Thread sender = new Thread(() -> {
                try {
                    out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY
                                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    for (int n; (n = body.read(chunk)) > 0; ) {
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk, 0, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (java.io.IOException closedByTheServer) {
                    // it answered before the body ended
                }
            });
            sender.start();
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            sender.join(60_000);
            assertThat(status).as("an answer's status line").startsWith("HTTP/1.1 ");
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    private static InputStream repeated(byte[] prefix, byte fill, long length, byte[] suffix) {
        InputStream filler = new InputStream() {
            long left = length;

            @Override
            public int read() {
                return left-- > 0 ? fill : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, fill);
                left -= n;
                return n;
            }
        };
        return new SequenceInputStream(
                new SequenceInputStream(new ByteArrayInputStream(prefix), filler), new ByteArrayInputStream(suffix));
    }

    @Test
    void oversizedAndBrokenChunkedBodiesAre413And400() throws Exception {
        String name = "big_" + UUID.randomUUID().toString().substring(0, 8);
        byte[] prefix = ("{\"name\":\"" + name + "\",\"comment\":\"").getBytes(StandardCharsets.UTF_8);
        assertThat(chunkedStatus("/api/v1/catalogs", repeated(prefix, (byte) 'a', 50L << 20, "\"}".getBytes())))
                .isEqualTo(413);
        assertThat(chunkedStatus(
                        "/api/v1/catalogs",
                        repeated(prefix, (byte) 'a', 1L << 20, new byte[] {'"', 0, (byte) 0xff, '{', ']'})))
                .isEqualTo(400);
        assertThat(http.get("/api/v1/catalogs/" + name).statusCode()).isEqualTo(404);
    }

    @Test
    void retentionsThatAreNotDeltaIntervalsAreRefusedByName() {
        List<Map<String, String>> bad = List.of(
                Map.of("delta.logRetentionDuration", "interval 99999999999 weeks"),
                Map.of("delta.logRetentionDuration", "interval 600000 weeks"),
                Map.of("delta.deletedFileRetentionDuration", "interval 7 fortnights"),
                Map.of("delta.deletedFileRetentionDuration", "forever"));
        int tried = 0;
        for (Map<String, String> properties : bad) {
            String catalog = newCatalogWithSchemaS();
            var refused = http.post("/api/v1/tables", tableBody(catalog, properties));
            assertProblem(refused, 400, "INVALID_ACTION");
            assertThat(refused.body()).contains(properties.keySet().iterator().next());
            assertThat(http.get("/api/v1/tables/" + catalog + ".s.t").statusCode())
                    .isEqualTo(404);
            tried++;
        }
        assertThat(tried).isEqualTo(bad.size());
        // what Delta writes is taken
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(
                                catalog,
                                Map.of(
                                        "delta.logRetentionDuration", "interval 30 days",
                                        "delta.deletedFileRetentionDuration", "interval 1 nanosecond"))),
                201);
    }

    @Test
    void garbageMaintenanceSettingsAreRefusedWhereTheyAreSet() {
        String table = newTable();
        String schema = table.substring(0, table.lastIndexOf('.'));
        List<Map<String, String>> bad = List.of(
                Map.of("deltaplane.autoCompact.minNumFiles", "lots"),
                Map.of("deltaplane.autoVacuum", "perhaps"),
                Map.of("delta.autoOptimize.autoCompact", "sometimes"),
                Map.of("deltaplane.autoVacuum.interval", "-3 days"));
        int tried = 0;
        for (Map<String, String> properties : bad) {
            String key = properties.keySet().iterator().next();
            var refused = http.send(
                    "PATCH",
                    "/api/2.1/unity-catalog/schemas/" + schema,
                    "{\"properties\":{\"" + key + "\":\"" + properties.get(key) + "\"}}");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains(key);
            tried++;
        }
        assertThat(tried).isEqualTo(bad.size());
        assertThat(http.get("/api/v1/tables/" + table + "/maintenance").statusCode())
                .isEqualTo(200);
    }

    @Test
    void stagedCommitNamesThatAreNotDeltasAreRefused() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String schema = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s";
        var staged = ok(http.post(schema + "/staging-tables", "{\"name\":\"t\"}"), 200);
        String id = staged.get("table-id").asString();
        List<String> names = List.of(
                String.format("%020d.%s.json", 1, "a".repeat(300)),
                String.format("%020d.%s.json", 1, "not-a-uuid"),
                String.format("%020d.json", 1));
        int tried = 0;
        for (String name : names) {
            var refused = http.post(
                    schema + "/tables/t",
                    "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + id + "\"}],"
                            + "\"updates\":[{\"action\":\"add-commit\",\"commit\":{\"version\":1,\"timestamp\":1,"
                            + "\"file-name\":\"" + name + "\",\"file-size\":1,\"file-modification-timestamp\":1}}]}");
            assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 404);
            tried++;
        }
        // an add-commit without its commit
        var noCommit = http.post(
                schema + "/tables/t",
                "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + id + "\"}],"
                        + "\"updates\":[{\"action\":\"add-commit\"}]}");
        assertThat(noCommit.statusCode()).as(noCommit.body()).isBetween(400, 404);
        tried++;
        assertThat(tried).isEqualTo(names.size() + 1);
    }

    @Test
    void concurrentStagingsOfOneNameAllAnswerTheOneStagingThatLanded() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String schema = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s";
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> http.post(schema + "/staging-tables", "{\"name\":\"raced\"}")));
            }
            java.util.Set<String> tableIds = new java.util.HashSet<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                tableIds.add(JSON.readTree(response.body()).get("table-id").asString());
            }
            assertThat(answers).hasSize(16);
            assertThat(tableIds)
                    .as("one staging, answered to every request of its stager")
                    .hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oversizedRequestsWithinTheBodyLimitAreRefusedNotTimedOut() {
        String catalog = newCatalogWithSchemaS();
        StringBuilder changes = new StringBuilder("{\"changes\":[");
        for (int i = 0; i < 10_000; i++) {
            changes.append(i == 0 ? "" : ",")
                    .append("{\"principal\":\"p")
                    .append(i)
                    .append("\",\"add\":[\"USE_CATALOG\"]}");
        }
        changes.append("]}");
        long start = System.nanoTime();
        var refused = http.send("PATCH", "/api/2.1/unity-catalog/permissions/catalog/" + catalog, changes.toString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));

        var longRoot = http.post(
                "/api/2.1/unity-catalog/catalogs",
                "{\"name\":\"r_" + UUID.randomUUID().toString().substring(0, 8) + "\",\"storage_root\":\"file:/"
                        + "x".repeat(10_000) + "\"}");
        assertThat(longRoot.statusCode()).as(longRoot.body()).isEqualTo(400);
    }

    @Test
    void aPageTokenOfOneListingIsRefusedByAnother() {
        newCatalogWithSchemaS();
        newCatalogWithSchemaS();
        var page = ok(http.get("/api/2.1/unity-catalog/catalogs?max_results=1"), 200);
        String token = page.get("next_page_token").asString();
        assertThat(token).isNotBlank();
        String catalog = newCatalogWithSchemaS();
        var refused = http.get(
                "/api/2.1/unity-catalog/schemas?catalog_name=" + catalog + "&max_results=1&page_token=" + token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    }

    @Test
    void aCredentialsRequestWithoutAnOperationIsMalformed() throws Exception {
        String table = newTable();
        String id = get("/api/v1/tables/" + table).get("table_id").asString();
        var refused = http.post(
                "/api/2.1/unity-catalog/temporary-table-credentials",
                "{\"table_id\":\"" + id + "\",\"operation\":\"\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    }
}
