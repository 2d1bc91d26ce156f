package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.managed.CatalogManagedProperties;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Inputs an attacker or a careless client sends, each answered with a 4xx problem (or the Unity
 * Catalog error shape on that surface) and nothing stored — read back after the refusal — never a
 * 5xx or a timeout; next to each refusal, an input of the same shape that is taken. One test per
 * class of input; each compares what every input it sent was answered with what it must be.
 */
class HostileInputsTest extends MetadataTestBase {

    @Autowired
    CatalogManagedProperties catalogManaged;

    @Autowired
    PrincipalStore principals;

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
        // each property, and what was answered: the refusal (naming the key or not), and whether a
        // table was made anyway
        Map<String, String> answered = new LinkedHashMap<>();
        for (Map<String, String> properties : bad) {
            String catalog = newCatalogWithSchemaS();
            String key = properties.keySet().iterator().next();
            var answer = http.post("/api/v1/tables", tableBody(catalog, properties));
            answered.put(
                    key + "=" + properties.get(key),
                    refusal(answer, key) + ", GET table "
                            + http.get("/api/v1/tables/" + catalog + ".s.t").statusCode());
        }
        Map<String, String> refusedAndNothingMade = new LinkedHashMap<>();
        bad.forEach(p -> p.forEach((key, value) ->
                refusedAndNothingMade.put(key + "=" + value, "400 INVALID_ACTION naming " + key + ", GET table 404")));
        assertThat(answered).containsExactlyEntriesOf(refusedAndNothingMade);
        // what Delta writes is taken, and the table keeps it
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
        JsonNode configuration = get("/api/v1/tables/" + catalog + ".s.t/snapshot")
                .get("metadata")
                .get("configuration");
        assertThat(configuration.get("delta.logRetentionDuration").asString()).isEqualTo("interval 30 days");
        assertThat(configuration.get("delta.deletedFileRetentionDuration").asString())
                .isEqualTo("interval 1 nanosecond");
    }

    /**
     * A maintenance setting the worker could not read, and a property longer than a property may
     * be, are refused naming what is wrong, and the schema's properties and the table's maintenance
     * policy read back as they were; the same keys with values the worker reads, and a key and a
     * value of the longest allowed length, are then taken and read back.
     */
    @Test
    void garbageMaintenanceSettingsAreRefusedWhereTheyAreSet() {
        String table = newTable();
        String schema = table.substring(0, table.lastIndexOf('.'));
        String schemaUrl = "/api/2.1/unity-catalog/schemas/" + schema;
        JsonNode propertiesBefore = get(schemaUrl).path("properties");
        JsonNode policyBefore = policy(table);
        // each property (key, value) and what its refusal must name
        record Bad(String key, String value, String names) {}
        List<Bad> bad = List.of(
                new Bad("deltaplane.autoCompact.minNumFiles", "lots", "deltaplane.autoCompact.minNumFiles"),
                new Bad("deltaplane.autoVacuum", "perhaps", "deltaplane.autoVacuum"),
                new Bad("delta.autoOptimize.autoCompact", "sometimes", "delta.autoOptimize.autoCompact"),
                new Bad("deltaplane.autoVacuum.interval", "-3 days", "deltaplane.autoVacuum.interval"),
                new Bad("k".repeat(256), "a key one character too long", "keys up to 255"),
                new Bad("deltaplane.note", "v".repeat(4097), "values up to 4096"));
        // each property, and what was answered
        Map<String, String> answered = new LinkedHashMap<>();
        Map<String, String> refusedNamingWhy = new LinkedHashMap<>();
        for (Bad property : bad) {
            var answer = http.send(
                    "PATCH",
                    schemaUrl,
                    JSON.writeValueAsString(Map.of("properties", Map.of(property.key(), property.value()))));
            answered.put(property.key(), refusal(answer, property.names()));
            refusedNamingWhy.put(property.key(), "400 VALIDATION_FAILED naming " + property.names());
        }
        assertThat(answered).containsExactlyEntriesOf(refusedNamingWhy);
        // nothing stored: the schema's properties and the table's policy as they were
        assertThat(get(schemaUrl).path("properties"))
                .as("the schema's properties after the refusals")
                .isEqualTo(propertiesBefore);
        assertThat(policy(table))
                .as("the table's maintenance policy after the refusals")
                .isEqualTo(policyBefore);

        // the same keys with values the worker reads, and the longest key and value, are taken
        Map<String, String> good = new LinkedHashMap<>();
        good.put("deltaplane.autoCompact.minNumFiles", "7");
        good.put("deltaplane.autoVacuum", "false");
        good.put("delta.autoOptimize.autoCompact", "false");
        good.put("deltaplane.autoVacuum.interval", "interval 3 days");
        good.put("k".repeat(255), "a key of the longest length");
        good.put("deltaplane.note", "v".repeat(4096));
        ok(http.send("PATCH", schemaUrl, JSON.writeValueAsString(Map.of("properties", good))), 200);
        Map<String, String> stored = new LinkedHashMap<>();
        get(schemaUrl)
                .path("properties")
                .properties()
                .forEach(e -> stored.put(e.getKey(), e.getValue().asString()));
        assertThat(stored).containsAllEntriesOf(good);
        JsonNode policy = policy(table);
        assertThat(policy.get("optimize_min_small_files").asInt()).isEqualTo(7);
        assertThat(policy.get("auto_compact").asBoolean()).isFalse();
        assertThat(policy.get("auto_vacuum").asBoolean()).isFalse();
        assertThat(policy.get("vacuum_interval_hours").asDouble()).isEqualTo(72.0);
    }

    /** The maintenance policy the worker reads for {@code table} (its settings, not its history). */
    private JsonNode policy(String table) {
        JsonNode status = get("/api/v1/tables/" + table + "/maintenance");
        ObjectNode policy = JSON.createObjectNode();
        for (String field :
                List.of("auto_compact", "optimize_min_small_files", "auto_vacuum", "vacuum_interval_hours")) {
            policy.set(field, status.get(field));
        }
        return policy;
    }

    /** A catalog-managed table as an engine makes one through the UC Delta API; {@code url} is its Delta API path. */
    private record ManagedTable(String fullName, String url, String id, Path log) {

        Path staged(String fileName) {
            return log.resolve("_staged_commits").resolve(fileName);
        }

        Path published(long version) {
            return log.resolve(String.format("%020d.json", version));
        }
    }

    /** Stages {@code <catalog>.s.<name>}, writes its version 0 at the staged location and finalizes it. */
    private ManagedTable stageAndCreate(String catalog, String name) throws Exception {
        String schema = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s";
        JsonNode staged = ok(http.post(schema + "/staging-tables", "{\"name\":\"" + name + "\"}"), 200);
        String id = staged.get("table-id").asString();
        String location = staged.get("location").asString();
        Path log = Path.of(URI.create(location.replace("file:/", "file:///"))).resolve("_delta_log");
        Files.createDirectories(log.resolve("_staged_commits"));
        long ict = System.currentTimeMillis() - 1_000; // before every staged commit's
        Files.writeString(
                log.resolve(String.format("%020d.json", 0)),
                "{\"commitInfo\":{\"inCommitTimestamp\":" + ict + ",\"timestamp\":" + ict
                        + ",\"operation\":\"CREATE TABLE\",\"operationParameters\":{},\"isBlindAppend\":true}}\n"
                        + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                        + "\"readerFeatures\":[\"catalogManaged\",\"vacuumProtocolCheck\"],"
                        + "\"writerFeatures\":[\"catalogManaged\",\"vacuumProtocolCheck\",\"inCommitTimestamp\"]}}\n"
                        + "{\"metaData\":{\"id\":\"" + UUID.randomUUID() + "\",\"format\":{\"provider\":\"parquet\","
                        + "\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":"
                        + "\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
                        + "\"partitionColumns\":[],\"configuration\":{\"delta.enableInCommitTimestamps\":\"true\","
                        + "\"io.unitycatalog.tableId\":\"" + id + "\"},\"createdTime\":" + ict + "}}\n");
        ok(
                http.post(
                        schema + "/tables",
                        "{\"name\":\"" + name + "\",\"location\":\"" + location + "\",\"table-type\":\"MANAGED\","
                                + "\"data-source-format\":\"DELTA\"}"),
                200);
        ManagedTable table = new ManagedTable(catalog + ".s." + name, schema + "/tables/" + name, id, log);
        assertThat(version(table.fullName())).isZero();
        return table;
    }

    /** A staged commit the catalog ratifies as the next version: a commitInfo stamped now, and one add. */
    private static String stagedCommit(String file) {
        long ict = System.currentTimeMillis();
        return "{\"commitInfo\":{\"inCommitTimestamp\":" + ict + ",\"timestamp\":" + ict
                + ",\"operation\":\"WRITE\",\"operationParameters\":{},\"isBlindAppend\":true}}\n"
                + add(file) + "\n";
    }

    private static String add(String file) {
        return "{\"add\":{\"path\":\"" + file + "\",\"partitionValues\":{},\"size\":1024,"
                + "\"modificationTime\":1700000000000,\"dataChange\":true}}";
    }

    private static String addCommit(ManagedTable table, long version, String fileName) {
        return "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + table.id() + "\"}],"
                + "\"updates\":[{\"action\":\"add-commit\",\"commit\":{\"version\":" + version
                + ",\"timestamp\":1,\"file-name\":\"" + fileName + "\",\"file-size\":1,"
                + "\"file-modification-timestamp\":1}}]}";
    }

    /** The message of an answer in the Delta REST API's error shape. */
    private static String deltaMessage(HttpResponse<String> answer) {
        return JSON.readTree(answer.body()).get("error").get("message").asString();
    }

    /** Nothing ratified since version 0: the catalog, the Delta API and {@code _delta_log} all say so. */
    private void assertStillAtVersionZero(ManagedTable table) {
        assertThat(version(table.fullName())).isZero();
        JsonNode loaded = get(table.url());
        assertThat(loaded.get("latest-table-version").asLong()).isZero();
        assertThat(loaded.get("commits")).isEmpty();
        assertThat(livePaths(table.fullName(), null, 100)).isEmpty();
        assertThat(table.published(1)).doesNotExist();
    }

    /**
     * Each name is a file in the table's log holding a commit the catalog ratifies as version 1, so
     * the name rule alone refuses it; the same bytes under a staged commit's name are then taken.
     */
    @Test
    void stagedCommitNamesThatAreNotDeltasAreRefused() throws Exception {
        ManagedTable table = stageAndCreate(newCatalogWithSchemaS(), "t");
        String commit = stagedCommit("named.parquet");
        String uuid = UUID.randomUUID().toString();
        Map<String, Path> bad = new LinkedHashMap<>();
        bad.put(String.format("%020d.%s.json", 1, "not-a-uuid"), null);
        // the longest name a file system holds (255 bytes): long, but there to be read
        String longest = String.format("%020d.%s.json", 1, "a".repeat(229));
        assertThat(longest).hasSize(255);
        bad.put(longest, null);
        bad.put(String.format("%020d.json", 1), null); // a published commit's name
        bad.put(String.format("%019d.%s.json", 1, uuid), null);
        bad.put(String.format("%020d.%s.json", 2, uuid), null); // another version's
        bad.put(String.format("%020d.%s.json.tmp", 1, uuid), null);
        bad.put(String.format("%020d.%s.JSON", 1, uuid), null);
        // not a bare name: a file beside _staged_commits, in _delta_log itself
        bad.put(
                "../" + String.format("%020d.%s.json", 1, uuid),
                table.log().resolve(String.format("%020d.%s.json", 1, uuid)));
        // the names the answers say they refused for the file-name rule
        Set<String> refused = new LinkedHashSet<>();
        for (var name : bad.entrySet()) {
            Path file = name.getValue() == null ? table.staged(name.getKey()) : name.getValue();
            Files.writeString(file, commit);
            var answer = http.post(table.url(), addCommit(table, 1, name.getKey()));
            assertProblem(answer, 400, "VALIDATION_FAILED");
            String message = deltaMessage(answer);
            assertThat(message)
                    .as(name.getKey())
                    .startsWith("a staged commit for version 1 is named <20-digit version>.<uuid>.json"
                            + " (a bare name under _delta_log/_staged_commits/), not ");
            refused.add(message.substring(message.lastIndexOf("), not ") + "), not ".length()));
        }
        assertThat(refused).containsExactlyElementsOf(bad.keySet());
        assertStillAtVersionZero(table);

        // the same bytes under a staged commit's name are ratified as version 1
        String good = String.format("%020d.%s.json", 1, uuid);
        Files.writeString(table.staged(good), commit);
        ok(http.post(table.url(), addCommit(table, 1, good)), 200);
        assertThat(version(table.fullName())).isEqualTo(1);
        assertThat(livePaths(table.fullName(), null, 100)).containsExactly("named.parquet");
        assertThat(table.published(1)).hasContent(commit);
    }

    @Test
    void anAddCommitWithoutItsCommitIsRefusedNamingTheField() throws Exception {
        ManagedTable table = stageAndCreate(newCatalogWithSchemaS(), "t");
        String requirements = "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + table.id() + "\"}],";
        // each list of updates, and the field and rule its answer must name
        Map<String, String> updates = new LinkedHashMap<>();
        updates.put("[{\"action\":\"add-commit\"}]", "updates[0].commit: is required");
        updates.put("[{\"action\":\"add-commit\",\"commit\":null}]", "updates[0].commit: is required");
        updates.put(
                "[{\"action\":\"set-latest-backfilled-version\",\"latest-published-version\":0},"
                        + "{\"action\":\"add-commit\"}]",
                "updates[1].commit: is required");
        updates.put(
                "[{\"action\":\"add-commit\",\"commit\":\"00000000000000000001.json\"}]",
                "updates[0].commit: must be an object");
        List<String> named = new ArrayList<>();
        String invalid = "Invalid request: ";
        for (var update : updates.entrySet()) {
            var answer = http.post(table.url(), requirements + "\"updates\":" + update.getKey() + "}");
            assertProblem(answer, 400, "VALIDATION_FAILED");
            String message = deltaMessage(answer);
            assertThat(message).as(update.getKey()).startsWith(invalid);
            named.add(message.substring(
                    invalid.length(), invalid.length() + update.getValue().length()));
        }
        assertThat(named).containsExactlyElementsOf(updates.values());
        assertStillAtVersionZero(table);
    }

    /**
     * A staged commit over the size cap (padded with the whitespace JSON allows, otherwise one the
     * catalog takes) and one over the action cap are refused with 413 naming the cap, through the
     * Delta API and {@code /api/v1/transactions} alike, and nothing is ratified; a commit within
     * both is then taken.
     */
    @Test
    void stagedCommitsOverTheCatalogsCapsAreRefusedNamingTheCap() throws Exception {
        ManagedTable table = stageAndCreate(newCatalogWithSchemaS(), "t");
        long sizeCap = catalogManaged.maxStagedCommitSize().toBytes();
        int actionCap = catalogManaged.maxStagedCommitActions();

        String commitInfo = stagedCommit("big.parquet").lines().findFirst().orElseThrow();
        String addLine = add("big.parquet") + "\n";
        byte[] big = new byte[Math.toIntExact(sizeCap + 1)];
        java.util.Arrays.fill(big, (byte) ' ');
        byte[] head = commitInfo.getBytes(StandardCharsets.UTF_8);
        byte[] tail = addLine.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);
        big[big.length - tail.length - 1] = '\n';
        System.arraycopy(tail, 0, big, big.length - tail.length, tail.length);
        String bigName = String.format("%020d.%s.json", 1, UUID.randomUUID());
        Files.write(table.staged(bigName), big);

        var tooBig = http.post(table.url(), addCommit(table, 1, bigName));
        assertProblem(tooBig, 413, "PAYLOAD_TOO_LARGE");
        assertThat(deltaMessage(tooBig))
                .contains(bigName, (sizeCap + 1) + " bytes")
                .contains("deltaplane.metadata.catalog-managed.max-staged-commit-size (" + sizeCap + " bytes)");
        var tooBigInATransaction = http.post(
                "/api/v1/transactions",
                "{\"commits\":[{\"table\":\"" + table.fullName() + "\",\"expected_version\":0,"
                        + "\"staged_commit\":{\"file_name\":\"" + bigName + "\"}}]}");
        assertProblem(tooBigInATransaction, 413, "PAYLOAD_TOO_LARGE");
        assertThat(tooBigInATransaction.body()).contains("max-staged-commit-size");
        assertStillAtVersionZero(table);

        StringBuilder many = new StringBuilder(stagedCommit("f0.parquet"));
        for (int i = 1; i < actionCap; i++) {
            many.append(add("f" + i + ".parquet")).append('\n');
        }
        byte[] manyBytes = many.toString().getBytes(StandardCharsets.UTF_8);
        assertThat((long) manyBytes.length).as("within the size cap").isLessThan(sizeCap);
        assertThat(many.toString().lines().count()).isEqualTo(actionCap + 1L);
        String manyName = String.format("%020d.%s.json", 1, UUID.randomUUID());
        Files.write(table.staged(manyName), manyBytes);
        var tooMany = http.post(table.url(), addCommit(table, 1, manyName));
        assertProblem(tooMany, 413, "PAYLOAD_TOO_LARGE");
        assertThat(deltaMessage(tooMany))
                .contains(manyName, (actionCap + 1) + " actions")
                .contains("deltaplane.metadata.catalog-managed.max-staged-commit-actions (" + actionCap + ")");
        assertStillAtVersionZero(table);

        String small = String.format("%020d.%s.json", 1, UUID.randomUUID());
        Files.writeString(table.staged(small), stagedCommit("small.parquet"));
        ok(http.post(table.url(), addCommit(table, 1, small)), 200);
        assertThat(livePaths(table.fullName(), null, 100)).containsExactly("small.parquet");
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

    /**
     * A grant update of 10,000 changes (over the 1,000 one request takes), all for a principal that
     * exists, is refused quickly naming the cap, and grants nothing; one of 1,000 such changes is
     * taken and grants. A catalog whose storage root is 10,000 characters is refused naming the
     * limit, and no catalog is made; the same root a hundred characters long is taken.
     */
    @Test
    void oversizedRequestsWithinTheBodyLimitAreRefusedNotTimedOut() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String principal = "p_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(principal, PrincipalType.SERVICE_PRINCIPAL);
        String permissions = "/api/2.1/unity-catalog/permissions/catalog/" + catalog;
        long start = System.nanoTime();
        var refused = http.send("PATCH", permissions, changes(principal, 10_000));
        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body()).contains("at most 1000 per request, got 10000");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
        // nothing granted: neither the catalog's grants nor what the principal holds there name it
        assertThat(get(permissions + "?principal=" + principal).get("privilege_assignments"))
                .as("the catalog's grants to %s after the refused update", principal)
                .isEmpty();
        assertThat(heldOn(catalog, principal))
                .as("what %s holds on the catalog after the refused update", principal)
                .isEmpty();
        // the same shape within the cap is taken, and grants
        ok(http.send("PATCH", permissions, changes(principal, 1_000)), 200);
        assertThat(heldOn(catalog, principal)).containsExactly("USE_CATALOG@catalog:" + catalog);

        Path under = Files.createTempDirectory("long-root-");
        String tooLong = "r_" + UUID.randomUUID().toString().substring(0, 8);
        String longRoot = under.toUri() + "x".repeat(10_000);
        var longAnswer = http.post(
                "/api/2.1/unity-catalog/catalogs",
                "{\"name\":\"" + tooLong + "\",\"storage_root\":\"" + longRoot + "\"}");
        assertProblem(longAnswer, 400, "VALIDATION_FAILED");
        assertThat(longAnswer.body()).contains("at most 900 characters, got " + longRoot.length());
        // no catalog made: not by its name, nor in the list
        assertThat(http.get("/api/2.1/unity-catalog/catalogs/" + tooLong).statusCode())
                .as("GET the refused catalog")
                .isEqualTo(404);
        assertThat(catalogNames()).as("the catalogs after the refusal").doesNotContain(tooLong);
        // a root of the same shape within the limit is taken
        String fits = "r_" + UUID.randomUUID().toString().substring(0, 8);
        String root = under.toUri() + "x".repeat(100);
        JsonNode created = ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + fits + "\",\"storage_root\":\"" + root + "\"}"),
                200);
        assertThat(created.get("storage_root").asString()).endsWith("/" + "x".repeat(100));
        assertThat(catalogNames()).contains(fits);
    }

    /** A permissions update of {@code n} changes, each adding USE_CATALOG to {@code principal}. */
    private static String changes(String principal, int n) {
        StringBuilder changes = new StringBuilder("{\"changes\":[");
        for (int i = 0; i < n; i++) {
            changes.append(i == 0 ? "" : ",")
                    .append("{\"principal\":\"")
                    .append(principal)
                    .append("\",\"add\":[\"USE_CATALOG\"]}");
        }
        return changes.append("]}").toString();
    }

    /** What {@code principal} effectively holds on {@code catalog}: privilege@where it comes from. */
    private List<String> heldOn(String catalog, String principal) {
        List<String> held = new ArrayList<>();
        for (JsonNode assignment : get("/api/2.1/unity-catalog/effective-permissions/catalog/" + catalog + "?principal="
                        + principal)
                .get("privilege_assignments")) {
            for (JsonNode p : assignment.get("privileges")) {
                held.add(p.get("privilege").asString() + "@"
                        + p.get("inherited_from_type").asString() + ":"
                        + p.get("inherited_from_name").asString());
            }
        }
        return held;
    }

    /** Every catalog's name, every page of Unity Catalog's list followed. */
    private List<String> catalogNames() {
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = get(
                    "/api/2.1/unity-catalog/catalogs?max_results=1000" + (token == null ? "" : "&page_token=" + token));
            page.get("catalogs").forEach(c -> names.add(c.get("name").asString()));
            JsonNode next = page.get("next_page_token");
            token = next == null || next.isNull() || next.asString().isEmpty() ? null : next.asString();
        } while (token != null);
        return names;
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
