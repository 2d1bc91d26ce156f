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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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

    /**
     * A table property longer than a property may be (key or value), one with a NUL and one with an
     * empty key, sent with Unity Catalog's EXTERNAL create, are refused naming the rule, and no table
     * is made: not by its name, not in the schema's list, not on disk. The longest key and value are
     * then taken, and the table reads them back.
     */
    @Test
    void hostileTablePropertiesAreRefusedAndNoTableIsMade() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Path location = Files.createTempDirectory("hostile-properties-");
        String rule = "keys up to 255 and values up to 4096 characters, without NUL";
        // each property (key, value) and what its refusal must name; a NUL is refused before the
        // door reads the body, naming the field (NulCharacterFilter)
        record Bad(String what, String key, String value, String names) {}
        List<Bad> bad = List.of(
                new Bad("a 256-character key", "k".repeat(256), "v", rule),
                new Bad("a 4,097-character value", "deltaplane.note", "v".repeat(4097), rule),
                new Bad("a NUL in the value", "deltaplane.note", "a\\u0000b", "properties.deltaplane.note"),
                new Bad("an empty key", "", "v", "keys must be non-empty"));
        Map<String, String> answered = new LinkedHashMap<>();
        Map<String, String> refusedNamingTheRule = new LinkedHashMap<>();
        for (Bad property : bad) {
            var answer = http.post(
                    "/api/2.1/unity-catalog/tables",
                    unityTable(catalog, location, Map.entry(property.key(), property.value())));
            answered.put(property.what(), refusal(answer, property.names()));
            refusedNamingTheRule.put(property.what(), "400 VALIDATION_FAILED naming " + property.names());
        }
        assertThat(answered).containsExactlyEntriesOf(refusedNamingTheRule);
        // nothing stored: no table by its name, none in the schema's list, no log at the location
        assertThat(http.get("/api/2.1/unity-catalog/tables/" + catalog + ".s.t").statusCode())
                .as("GET the refused table")
                .isEqualTo(404);
        assertThat(get("/api/2.1/unity-catalog/tables?catalog_name=" + catalog + "&schema_name=s")
                        .path("tables"))
                .as("the schema's tables after the refusals")
                .isEmpty();
        assertThat(location.resolve("_delta_log")).doesNotExist();

        // the longest key and value are taken, and read back from the table
        ok(
                http.post(
                        "/api/2.1/unity-catalog/tables",
                        unityTable(catalog, location, Map.entry("k".repeat(255), "v".repeat(4096)))),
                200);
        JsonNode properties =
                get("/api/2.1/unity-catalog/tables/" + catalog + ".s.t").path("properties");
        assertThat(properties.path("k".repeat(255)).asString()).isEqualTo("v".repeat(4096));
    }

    /** Unity Catalog's create of an EXTERNAL table {@code <catalog>.s.t} of one column with one property. */
    private static String unityTable(String catalog, Path location, Map.Entry<String, String> property) {
        return "{\"name\":\"t\",\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\","
                + "\"table_type\":\"EXTERNAL\",\"data_source_format\":\"DELTA\",\"storage_location\":\""
                + location.toUri()
                + "\",\"columns\":[{\"name\":\"id\",\"type_name\":\"LONG\",\"type_text\":\"bigint\",\"position\":0,"
                + "\"nullable\":true}],"
                + "\"properties\":{\"" + property.getKey() + "\":\"" + property.getValue() + "\"}}";
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

    /**
     * A grant update of 10,000 changes (over the 1,000 one request takes), all for a principal that
     * exists, is refused quickly naming the cap, and the catalog's grants read back exactly as they
     * were; one of 1,000 such changes is taken and grants. A catalog whose storage root is 10,000
     * characters is refused naming the limit, and no catalog is made (by name, in the list, on
     * disk); the same root a hundred characters long is taken.
     */
    @Test
    void oversizedRequestsWithinTheBodyLimitAreRefusedNotTimedOut() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String principal = "p_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(principal, PrincipalType.SERVICE_PRINCIPAL);
        String permissions = "/api/2.1/unity-catalog/permissions/catalog/" + catalog;
        // the principal already holds something there, so a refusal that applied part of the
        // update would show beside it
        grant("catalog", catalog, principal, "USE_SCHEMA");
        Set<String> grantsBefore = grantsOn(permissions);
        assertThat(grantsBefore).contains(principal + " USE_SCHEMA");
        List<String> heldBefore = heldOn(catalog, principal);
        long start = System.nanoTime();
        var refused = http.send("PATCH", permissions, changes(principal, 10_000));
        assertProblem(refused, 400, "VALIDATION_FAILED");
        assertThat(refused.body()).contains("at most 1000 per request, got 10000");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
        // nothing granted: the catalog's grants, and what the principal holds there, as before
        assertThat(grantsOn(permissions))
                .as("the catalog's grants after the refused update")
                .isEqualTo(grantsBefore);
        assertThat(heldOn(catalog, principal))
                .as("what %s holds on the catalog after the refused update", principal)
                .isEqualTo(heldBefore);
        // the same shape within the cap is taken, and grants
        ok(http.send("PATCH", permissions, changes(principal, 1_000)), 200);
        Set<String> granted = new java.util.TreeSet<>(grantsBefore);
        granted.add(principal + " USE_CATALOG");
        assertThat(grantsOn(permissions)).isEqualTo(granted);
        assertThat(heldOn(catalog, principal))
                .containsExactlyInAnyOrder("USE_SCHEMA@catalog:" + catalog, "USE_CATALOG@catalog:" + catalog);

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
        try (var made = Files.list(under)) {
            assertThat(made.toList())
                    .as("what the refused root left under %s", under)
                    .isEmpty();
        }
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

    /** Every grant the permissions API at {@code permissions} lists, as "principal PRIVILEGE". */
    private Set<String> grantsOn(String permissions) {
        Set<String> grants = new java.util.TreeSet<>();
        for (JsonNode assignment : get(permissions).get("privilege_assignments")) {
            for (JsonNode privilege : assignment.get("privileges")) {
                grants.add(assignment.get("principal").asString() + " " + privilege.asString());
            }
        }
        return grants;
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
