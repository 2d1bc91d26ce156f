package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.S3ProxyServer;
import io.deltaplane.testing.TestDatabase;
import io.deltaplane.testing.TestHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two metadata-service replicas (this test's context and a second full application) on one
 * database and one warehouse on S3 (S3Proxy), as a Helm deployment with object storage runs them:
 * commits go to either replica, both publishers claim from the one queue, and the table's {@code
 * _delta_log} on the bucket ends with every version exactly once, in order, each with its own
 * commit's content, and the newest checkpoint.
 */
class TwoReplicasOnObjectStorageTest extends MetadataTestBase {

    private static S3ProxyServer S3;

    private static final Map<String, String> SHARED = new LinkedHashMap<>();
    private static S3Client client;
    private static ConfigurableApplicationContext replicaB;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) throws Exception {
        S3 = S3ProxyServer.start(); // started before the Spring context, which needs its address
        SHARED.putAll(S3.environment());
        SHARED.put("deltaplane.warehouse.uri", "s3://lake/warehouse"); // DELTAPLANE_WAREHOUSE_URI
        SHARED.forEach((name, value) -> registry.add(name, () -> value));
        client = S3Storage.fromEnvironment(SHARED).client();
        client.createBucket(b -> b.bucket("lake"));
    }

    @AfterAll
    static void stop() {
        if (replicaB != null) {
            replicaB.close();
        }
        S3.close();
    }

    /** The second replica: the same application and settings, its own port and publisher. */
    private static TestHttp startReplicaB() {
        TestDatabase db = TestDatabase.get();
        Map<String, Object> properties = new LinkedHashMap<>(SHARED);
        properties.put("server.port", "0");
        properties.put("deltaplane.db.url", db.url());
        properties.put("deltaplane.db.user", db.user());
        properties.put("deltaplane.db.password", db.password() == null ? "" : db.password());
        properties.put("deltaplane.security.admin-api-key", ADMIN_KEY);
        properties.put("deltaplane.warehouse.root", "target/test-warehouse-b");
        properties.put("deltaplane.publish.checkpoint-interval", "10");
        properties.put("deltaplane.publish.checkpoint-min-interval", "0s");
        // As arguments: default properties lose to application.yml (server.port 8081), and two
        // test JVMs then raced for that port.
        replicaB = new SpringApplicationBuilder(MetadataServiceApplication.class)
                .run(properties.entrySet().stream()
                        .map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
        int port = ((WebServerApplicationContext) replicaB).getWebServer().getPort();
        return TestHttp.local(port, ADMIN_KEY);
    }

    @Test
    void commitsThroughEitherReplicaArePublishedOnceEachInOrderToTheBucket() {
        TestHttp b = startReplicaB();
        String table = newTable();
        String prefix = "warehouse/" + table.replace('.', '/') + "/_delta_log/";
        int versions = 40;
        for (int v = 0; v < versions; v++) {
            TestHttp replica = v % 2 == 0 ? http : b; // alternate: each replica's fast path sees stale state
            ok(
                    replica.post(
                            "/api/v1/tables/" + table + "/commits",
                            "{\"expected_version\":" + v + ",\"actions\":[" + add("part-" + (v + 1) + ".parquet", 100)
                                    + "]}"),
                    201);
        }
        awaitPublished(table, versions);
        assertThat(ok(b.get("/api/v1/tables/" + table + "/publish"), 200)
                        .get("published_version")
                        .asLong())
                .isEqualTo(versions);

        List<String> expected = new ArrayList<>();
        for (int v = 0; v <= versions; v++) {
            expected.add("%020d.json".formatted(v));
        }
        List<String> json =
                keys(prefix).stream().filter(k -> k.endsWith(".json")).toList();
        assertThat(json).containsExactlyElementsOf(expected);
        for (int v = 1; v <= versions; v++) {
            String key = prefix + "%020d.json".formatted(v);
            assertThat(client.getObjectAsBytes(o -> o.bucket("lake").key(key)).asUtf8String())
                    .as("version %d holds its own commit", v)
                    .contains("\"part-" + v + ".parquet\"");
        }
        awaitKey(prefix + "00000000000000000040.checkpoint.parquet");
        // Intermediate checkpoints may be skipped when commits outpace them; the newest is written.
        assertThat(keys(prefix)).contains("_last_checkpoint");
    }

    private static List<String> keys(String prefix) {
        return client.listObjectsV2Paginator(l -> l.bucket("lake").prefix(prefix)).contents().stream()
                .map(o -> o.key().substring(prefix.length()))
                .sorted()
                .toList();
    }

    /** Checkpoints follow publishing asynchronously: poll the bucket, bounded. */
    private static void awaitKey(String key) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (!client.listObjectsV2(l -> l.bucket("lake").prefix(key)).hasContents()
                || client.listObjectsV2(l -> l.bucket("lake").prefix(key))
                        .contents()
                        .isEmpty()) {
            assertThat(System.nanoTime()).as("%s written", key).isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
