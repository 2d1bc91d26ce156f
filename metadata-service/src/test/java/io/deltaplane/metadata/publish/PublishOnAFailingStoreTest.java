package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.ObjectStoresTestBase;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.storage.Storage;
import io.deltaplane.testing.FaultyConnections;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Publishing {@code _delta_log} to an S3 store (and, more briefly, an Azure one) whose connections are cut or stall midway
 * ({@link FaultyConnections} between the service and S3Proxy or Azurite). Commits go on (Postgres is the
 * source of truth); the publisher fails, backs off and retries; no {@code N.json} is ever visible
 * with partial content; once the store is back every version lands, in order, and Delta Kernel
 * reads each one as the API serves it. The bucket is read directly, past the faulty link.
 */
class PublishOnAFailingStoreTest extends ObjectStoresTestBase {

    private static final int EVERY_CONNECTION = 1000;
    /** Versions committed while the store fails, after version 1. */
    private static final int WHILE_FAILING = 5;
    /** Adds per commit: a commit file of some 20 KB, so a cut after 4 KB lands mid-body. */
    private static final int FILES_PER_COMMIT = 120;

    /**
     * Azure, more briefly: failing every one of its SDK's four tries is the artifact tests' case
     * ({@code ArtifactUploadOnAFailingAzureStoreTest}). One write is cut midway and one stalls
     * instead; the SDK's retry of the same conditional create must then succeed, not find a
     * half-written or "already existing" blob left by the broken attempt (which would stop
     * publishing with a CONFLICT).
     */
    @Test
    void onAzureAWriteCutOrStalledMidwayIsRetriedAndEveryVersionLandsWhole() throws Exception {
        String catalog = newCatalog();
        String location = AZURE_ROOT + "/" + catalog + "/events";
        String table = createTable(catalog, location);
        ok(commit(table, 0, adds(0)), 201);
        awaitPublished(table, 1);

        FaultyConnections.Fault cut = azureLink.cutAfter(4096, 1);
        ok(commit(table, 1, adds(1)), 201);
        cut.awaitFired(1, Duration.ofSeconds(20));
        awaitPublished(table, 2);

        FaultyConnections.Fault stall = azureLink.stallAfter(4096, 1);
        ok(commit(table, 2, adds(2)), 201);
        stall.awaitFired(1, Duration.ofSeconds(20));
        awaitPublished(table, 3);

        assertThat(new JsonNodeView(get("/api/v1/tables/" + table + "/publish")).lastError())
                .as("no conflict from a broken attempt")
                .doesNotContain("CONFLICT");
        assertWholeAsKernelReadsIt(table, location, azure, 3);
    }

    @Test
    void commitsPublishedThroughCutConnectionsLandWholeAndInOrderOnceTheStoreIsBack() throws Exception {
        publishThrough(() -> s3Link.cutAfter(4096, EVERY_CONNECTION));
    }

    @Test
    void commitsPublishedThroughAStalledStoreLandWholeAndInOrderOnceTheStoreIsBack() throws Exception {
        publishThrough(() -> s3Link.stallAfter(4096, EVERY_CONNECTION));
    }

    private void publishThrough(java.util.function.Supplier<FaultyConnections.Fault> failure) throws Exception {
        String catalog = newCatalog();
        String prefix = "governed/" + catalog + "/events";
        String location = S3_ROOT + "/" + catalog + "/events";
        String table = createTable(catalog, location);
        ok(commit(table, 0, adds(0)), 201);
        awaitPublished(table, 1);

        FaultyConnections.Fault fault = failure.get();
        for (long v = 1; v <= WHILE_FAILING; v++) {
            ok(commit(table, v, adds(v)), 201); // commits do not wait for the store
        }
        // Several rounds of the publisher (each of several SDK attempts) have hit the fault.
        fault.awaitFired(6, Duration.ofSeconds(60));
        JsonNodeView status = new JsonNodeView(get("/api/v1/tables/" + table + "/publish"));
        assertThat(status.publishedVersion()).isEqualTo(1);
        assertThat(status.lastError()).as("the failure is reported").isNotBlank();
        assertThat(commitFiles(prefix))
                .as("nothing after version 1 is visible while every write fails midway")
                .containsOnlyKeys(0L, 1L);

        s3Link.heal();
        // Watch the log fill: at every look it is versions 0..k with nothing missing in between.
        long last = 1 + WHILE_FAILING;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<Long, byte[]> files;
        do {
            files = commitFiles(prefix);
            assertThat(files.keySet()).as("published in order").containsExactlyElementsOf(range(files.size()));
            assertThat(System.nanoTime()).as("version %d published", last).isLessThan(deadline);
        } while (files.size() < last + 1);
        awaitPublished(table, last);

        for (long v = 0; v <= last; v++) {
            assertThat(new String(files.get(v), StandardCharsets.UTF_8)).endsWith("\n");
        }
        assertWholeAsKernelReadsIt(table, location, s3, last);
    }

    /** Each version is whole: what the API serves at it, as Delta Kernel reads it from the store. */
    private void assertWholeAsKernelReadsIt(String table, String location, Storage store, long last) {
        var engine = DeltaKernelEngines.over(store);
        for (long v = 0; v <= last; v++) {
            assertThat(KernelReader.read(location, v, engine).livePaths())
                    .as("version %d read by Kernel", v)
                    .containsExactlyInAnyOrderElementsOf(livePaths(table, v, 1000));
        }
        assertThat(KernelReader.read(location, null, engine).livePaths()).hasSize((int) last * FILES_PER_COMMIT);
        assertThat(new JsonNodeView(get("/api/v1/tables/" + table + "/publish")).publishedVersion())
                .isEqualTo(last);
    }

    private String newCatalog() {
        String catalog = "f_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        return catalog;
    }

    private String createTable(String catalog, String location) {
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA)) + ",\"location\":\"" + location
                                + "\"}"),
                201);
        return catalog + ".s.t";
    }

    /** The {@code N.json} files in the table's log with their bytes, read past the faulty link. */
    private static Map<Long, byte[]> commitFiles(String prefix) throws Exception {
        Map<Long, byte[]> files = new TreeMap<>();
        for (S3Object object : s3.client()
                .listObjectsV2(b -> b.bucket("lake").prefix(prefix + "/_delta_log/"))
                .contents()) {
            String name = object.key().substring(object.key().lastIndexOf('/') + 1);
            if (name.matches("\\d{20}\\.json")) {
                files.put(
                        Long.parseLong(name.substring(0, 20)),
                        s3.read("s3://lake/" + object.key()).orElseThrow());
            }
        }
        return files;
    }

    private static List<Long> range(int n) {
        List<Long> versions = new ArrayList<>();
        for (long v = 0; v < n; v++) {
            versions.add(v);
        }
        return versions;
    }

    private static String[] adds(long version) {
        String[] actions = new String[FILES_PER_COMMIT];
        for (int i = 0; i < FILES_PER_COMMIT; i++) {
            actions[i] = add("day=2026-11-23/part-" + version + "-" + i + "-" + UUID.randomUUID() + ".parquet", 100);
        }
        return actions;
    }

    /** The fields of the publish status this test reads. */
    private record JsonNodeView(tools.jackson.databind.JsonNode node) {
        long publishedVersion() {
            return node.get("published_version").asLong(-1);
        }

        String lastError() {
            return node.path("last_error").asString("");
        }
    }
}
