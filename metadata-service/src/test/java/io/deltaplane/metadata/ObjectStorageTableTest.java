package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.S3ProxyServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A table whose location is on S3 (S3Proxy, a real S3 protocol server, on a random port): created
 * under a registered storage root, committed to, and its {@code _delta_log} published to the bucket
 * with put-if-absent, configured only by the AWS variables an operator would set.
 */
@TestPropertySource(
        properties = {
            "deltaplane.warehouse.storage-roots=${java.io.tmpdir},s3://lake/governed",
            // DELTAPLANE_WAREHOUSE_URI: managed tables on S3 too
            "deltaplane.warehouse.uri=s3://lake/warehouse/"
        })
class ObjectStorageTableTest extends MetadataTestBase {

    private static S3ProxyServer S3;

    private static S3Client client;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) throws Exception {
        S3 = S3ProxyServer.start(); // started before the Spring context, which needs its address
        Map<String, String> env = S3.environment();
        env.forEach((name, value) -> registry.add(name, () -> value));
        client = S3Storage.fromEnvironment(env).client();
        client.createBucket(b -> b.bucket("lake"));
    }

    @AfterAll
    static void stop() {
        S3.close();
    }

    private String catalog() {
        String catalog = "o_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return catalog;
    }

    @Test
    void aTableOnS3IsCreatedCommittedAndItsLogPublishedToTheBucket() {
        String catalog = catalog();
        String prefix = "governed/" + catalog + "/orders";
        var created = ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\"s3://lake/"
                                + prefix + "/\"}"),
                201);
        assertThat(created.get("location").asString()).isEqualTo("s3://lake/" + prefix);
        String table = catalog + ".s.t";
        ok(commit(table, 0, add("part-0.parquet", 100)), 201);
        awaitPublished(table, 1);

        List<String> log =
                client.listObjectsV2(b -> b.bucket("lake").prefix(prefix + "/_delta_log/")).contents().stream()
                        .map(o -> o.key().substring(prefix.length() + "/_delta_log/".length()))
                        .toList();
        assertThat(log).contains("00000000000000000000.json", "00000000000000000001.json");
        String v1 = client.getObjectAsBytes(b -> b.bucket("lake").key(prefix + "/_delta_log/00000000000000000001.json"))
                .asUtf8String();
        assertThat(v1).contains("\"part-0.parquet\"");

        // Version 10 is checkpointed (every 10 in tests): the Parquet checkpoint and
        // _last_checkpoint land in the bucket too.
        for (long v = 1; v < 10; v++) {
            ok(commit(table, v, add("part-" + v + ".parquet", 100)), 201);
        }
        awaitPublished(table, 10);
        String checkpoint = prefix + "/_delta_log/00000000000000000010.checkpoint.parquet";
        awaitObject(checkpoint);
        byte[] parquet =
                client.getObjectAsBytes(b -> b.bucket("lake").key(checkpoint)).asByteArray();
        assertThat(new String(parquet, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PAR1");
        awaitObject(prefix + "/_delta_log/_last_checkpoint");

        // Its Iceberg metadata, made on S3 by an Iceberg load, is the platform's own: it goes with a purge.
        ok(http.get("/api/2.1/unity-catalog/iceberg/v1/catalogs/" + catalog + "/namespaces/s/tables/t"), 200);
        assertThat(client.listObjectsV2(b -> b.bucket("lake").prefix(prefix + "/_iceberg/metadata/"))
                        .contents())
                .isNotEmpty();

        // A neighbour's object under the table's prefix survives an admin's purge; the table's go.
        client.putObject(
                b -> b.bucket("lake").key(prefix + "/README"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("keep"));
        client.putObject(
                b -> b.bucket("lake").key(prefix + "/part-0.parquet"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("ours"));
        ok(http.delete("/api/v1/tables/" + table + "?purge=true"), 204);
        List<String> left = client.listObjectsV2(b -> b.bucket("lake").prefix(prefix + "/")).contents().stream()
                .map(o -> o.key().substring(prefix.length() + 1))
                .toList();
        assertThat(left).containsExactly("README");
        client.deleteObject(b -> b.bucket("lake").key(prefix + "/README"));

        // A location whose _delta_log is there (another engine's table): 409, as for a local one.
        client.putObject(
                b -> b.bucket("lake").key(prefix + "/_delta_log/00000000000000000000.json"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("{}"));
        assertProblem(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog() + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\"s3://lake/"
                                + prefix + "\"}"),
                409,
                "LOCATION_IN_USE");
    }

    @Test
    void aTableWithoutALocationLivesInTheWarehouseOnS3AndAPurgeRemovesIt() {
        String catalog = catalog();
        var created = ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"events\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + "}"),
                201);
        String prefix = "warehouse/" + catalog + "/s/events";
        assertThat(created.get("location").asString()).isEqualTo("s3://lake/" + prefix);
        String table = catalog + ".s.events";
        ok(commit(table, 0, add("part-0.parquet", 100)), 201);
        awaitPublished(table, 1);
        awaitObject(prefix + "/_delta_log/00000000000000000001.json");

        // The warehouse is governed like any root: a location inside the managed table overlaps it.
        assertProblem(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"inside\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\"s3://lake/"
                                + prefix + "/nested\"}"),
                422,
                "LOCATION_NOT_ALLOWED");

        ok(http.delete("/api/v1/tables/" + table + "?purge=true"), 204);
        assertThat(client.listObjectsV2(b -> b.bucket("lake").prefix(prefix + "/_delta_log/"))
                        .contents())
                .isEmpty();
    }

    @Test
    void aTableWithACheckpointOnS3IsImportedThroughTheStorageLayer() {
        // Another writer's table on S3, here one the platform wrote and dropped without purging:
        // eleven commits, a Parquet checkpoint at version 10 and _last_checkpoint pointing at it.
        String catalog = catalog();
        String prefix = "governed/" + catalog + "/clicks";
        String location = "s3://lake/" + prefix;
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\"" + location
                                + "\"}"),
                201);
        String original = catalog + ".s.t";
        for (long v = 0; v < 11; v++) {
            String[] actions = v == 7
                    ? new String[] {remove("part-3.parquet"), add("part-" + v + ".parquet", 100)}
                    : new String[] {add("part-" + v + ".parquet", 100)};
            ok(commit(original, v, actions), 201);
        }
        awaitPublished(original, 11);
        awaitObject(prefix + "/_delta_log/00000000000000000010.checkpoint.parquet");
        awaitObject(prefix + "/_delta_log/_last_checkpoint");
        Map<Long, List<String>> expected = new java.util.TreeMap<>();
        for (long v : new long[] {0, 7, 10, 11}) {
            expected.put(v, livePaths(original, v, 100).stream().sorted().toList());
        }
        ok(http.delete("/api/v1/tables/" + original), 204); // the files stay

        var imported = ok(
                http.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"adopted\","
                                + "\"location\":\"" + location + "/\"}"),
                201);
        String table = catalog + ".s.adopted";
        assertThat(imported.get("location").asString()).isEqualTo(location);
        assertThat(imported.get("version").asLong()).isEqualTo(11);
        expected.forEach((v, paths) -> assertThat(
                        livePaths(table, v, 100).stream().sorted().toList())
                .as("imported version %d", v)
                .isEqualTo(paths));
        assertThat(expected.get(11L)).hasSize(10).doesNotContain("part-3.parquet");
        var status = get("/api/v1/tables/" + table + "/publish");
        assertThat(status.get("published_version").asLong()).isEqualTo(11);

        // Publishing continues on S3 at the next version.
        ok(commit(table, 11, add("part-after-import.parquet", 100)), 201);
        awaitPublished(table, 12);
        assertThat(client.getObjectAsBytes(b -> b.bucket("lake").key(prefix + "/_delta_log/00000000000000000012.json"))
                        .asUtf8String())
                .contains("part-after-import.parquet");

        // An object store location outside the registered roots is not adopted.
        assertProblem(
                http.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"foreign\","
                                + "\"location\":\"s3://lake/elsewhere/t\"}"),
                422,
                "LOCATION_NOT_ALLOWED");
    }

    @Test
    void aReaderGetsSignedUrlsThatReadEachLiveFileWithoutCredentials() throws Exception {
        String catalog = catalog();
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"files\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + "}"),
                201);
        String table = catalog + ".s.files";
        String prefix = "warehouse/" + catalog + "/s/files/";
        // Two data files in the bucket, one in a partition-style directory (a committed path that
        // climbs out of the location is refused at commit; the signer skips such paths too).
        for (String key : List.of("part-0.parquet", "day=1/part-1.parquet")) {
            client.putObject(
                    b -> b.bucket("lake").key(prefix + key),
                    software.amazon.awssdk.core.sync.RequestBody.fromString("bytes of " + key));
        }
        ok(commit(table, 0, add("part-0.parquet", 10)), 201);
        ok(commit(table, 1, add("day=1/part-1.parquet", 20)), 201);

        var page = ok(http.get("/api/v1/tables/" + table + "/snapshot/signed-files?max_results=1"), 200);
        assertThat(page.get("version").asLong()).isEqualTo(2);
        assertThat(java.time.Instant.parse(page.get("expires_at").asString()))
                .isBetween(
                        java.time.Instant.now().plusSeconds(14 * 60),
                        java.time.Instant.now().plusSeconds(16 * 60));
        var next = ok(
                http.get("/api/v1/tables/" + table + "/snapshot/signed-files?max_results=1&page_token="
                        + java.net.URLEncoder.encode(
                                page.get("next_page_token").asString(), java.nio.charset.StandardCharsets.UTF_8)),
                200);
        assertThat(next.get("next_page_token").isNull()).isTrue();
        Map<String, String> urls = new java.util.TreeMap<>();
        for (var p : List.of(page, next)) {
            p.get("files")
                    .forEach(f -> urls.put(
                            f.get("path").asString(),
                            f.get("url").isNull() ? null : f.get("url").asString()));
        }
        assertThat(urls).containsOnlyKeys("day=1/part-1.parquet", "part-0.parquet");

        var plain = java.net.http.HttpClient.newHttpClient(); // no credentials at all
        for (String key : List.of("part-0.parquet", "day=1/part-1.parquet")) {
            var read = plain.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(urls.get(key)))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).isEqualTo("bytes of " + key);
            assertThat(urls.get(key)).doesNotContain(S3.secretKey());
        }
        // Time travel: version 1 had one file.
        assertThat(ok(http.get("/api/v1/tables/" + table + "/snapshot/signed-files?version=1"), 200)
                        .get("files")
                        .size())
                .isEqualTo(1);

        assertProblem(
                http.get("/api/v1/tables/" + table + "/snapshot/signed-files?valid_for_seconds=5"),
                400,
                "VALIDATION_FAILED");
        assertProblem(
                http.get("/api/v1/tables/" + table + "/snapshot/signed-files?valid_for_seconds=999999"),
                400,
                "VALIDATION_FAILED");
        assertProblem(
                http.get("/api/v1/tables/" + table + "/snapshot/signed-files?version=9"), 404, "VERSION_NOT_FOUND");
        assertProblem(
                http.get("/api/v1/tables/" + table + "/snapshot/signed-files?page_token=garbage"),
                400,
                "INVALID_PAGE_TOKEN");

        // A table on the local file system has no signed URLs: 422, said plainly.
        java.nio.file.Path local = java.nio.file.Files.createTempDirectory("local-table");
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"local\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\""
                                + local.resolve("t").toUri() + "\"}"),
                201);
        ok(commit(catalog + ".s.local", 0, add("part-0.parquet", 10)), 201);
        assertProblem(
                http.get("/api/v1/tables/" + catalog + ".s.local/snapshot/signed-files"), 422, "UNSUPPORTED_LOCATION");
    }

    /** Checkpoints are written after publishing, asynchronously: poll the bucket, bounded. */
    private static void awaitObject(String key) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (client.listObjectsV2(b -> b.bucket("lake").prefix(key)).contents().stream()
                .noneMatch(o -> o.key().equals(key))) {
            assertThat(System.nanoTime()).as("%s written", key).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void anObjectStoreLocationOutsideTheRegisteredRootsIsRefused() {
        String catalog = catalog();
        for (String location : List.of(
                "s3://lake/elsewhere/t",
                "s3://lake/governed", // the root itself
                "s3://lake/governedx/t", // a sibling sharing the root's prefix
                "s3://other-bucket/governed/t",
                "abfss://c@acct.dfs.core.windows.net/governed/t")) {
            assertProblem(
                    http.post(
                            "/api/v1/tables",
                            "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                    + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\"" + location
                                    + "\"}"),
                    422,
                    "LOCATION_NOT_ALLOWED");
        }
        assertProblem(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA))
                                + ",\"location\":\"s3://lake/governed/a/../b\"}"),
                400,
                "VALIDATION_FAILED");
    }
}
