package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.managed.CatalogManagedProperties;
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

/**
 * Hostile staged commits (split from {@link HostileInputsTest}): every {@code add-commit} the UC
 * Delta API refuses — a file name that is not a staged commit's, an update without its commit, a
 * staged commit over the catalog's size or action cap — is followed by reading back that the
 * table's version, its history, its files and its {@code _delta_log} are as they were; next to each
 * refusal, a commit of the same shape that is taken.
 */
class HostileStagedCommitsTest extends MetadataTestBase {

    @Autowired
    CatalogManagedProperties catalogManaged;
    /**
     * A catalog-managed table as an engine makes one through the UC Delta API; {@code url} is its
     * Delta API path, {@code historyAtZero} its history as read right after its version 0.
     */
    private record ManagedTable(String fullName, String url, String id, Path log, JsonNode historyAtZero) {

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
        String fullName = catalog + ".s." + name;
        assertThat(version(fullName)).isZero();
        return new ManagedTable(fullName, schema + "/tables/" + name, id, log, history(fullName));
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

    /** Every commit of {@code table}'s history, newest first, as {@code /api/v1} answers it. */
    private JsonNode history(String table) {
        return get("/api/v1/tables/" + table + "/history?max_results=1000").get("commits");
    }

    /**
     * Nothing ratified since version 0: the catalog's version and history, the Delta API, the live
     * files and {@code _delta_log} all say so.
     */
    private void assertStillAtVersionZero(ManagedTable table) {
        assertThat(version(table.fullName())).isZero();
        assertThat(history(table.fullName()))
                .as("the history of %s after a refused add-commit", table.fullName())
                .isEqualTo(table.historyAtZero());
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
            assertStillAtVersionZero(table);
        }
        assertThat(refused).containsExactlyElementsOf(bad.keySet());

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
            assertStillAtVersionZero(table);
        }
        assertThat(named).containsExactlyElementsOf(updates.values());
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
        assertStillAtVersionZero(table);
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
}
