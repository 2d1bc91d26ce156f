package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.config.IngestProperties;
import io.deltaplane.ingest.config.ServicesProperties;
import io.deltaplane.ingest.lineage.IngestRuns;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.S3ProxyServer;
import io.deltaplane.testing.TestHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The platform the Delta-target tests commit to, started once per test JVM (the apps take most of
 * a test class's time): metadata-service, lineage-service and the gateway as {@link PlatformApps},
 * and S3Proxy (a real S3 protocol server) with bucket {@code lake} registered as storage root
 * {@code s3://lake/streams}, configured only by the AWS variables an operator would set; catalog
 * {@code lake} and schema {@code lake.ingest} exist.
 */
final class DeltaTestPlatform {

    static final String BUCKET = "lake";
    static final String S3_ROOT = "s3://lake/streams";

    private static DeltaTestPlatform started;

    final PlatformApps apps;
    final Map<String, String> aws;
    final S3Client s3;

    private DeltaTestPlatform(PlatformApps apps, Map<String, String> aws, S3Client s3) {
        this.apps = apps;
        this.aws = aws;
        this.s3 = s3;
    }

    static synchronized DeltaTestPlatform get() throws Exception {
        if (started == null) {
            S3ProxyServer s3Proxy = S3ProxyServer.start();
            Map<String, String> aws = s3Proxy.environment();
            S3Client s3 = S3Storage.fromEnvironment(aws).client();
            s3.createBucket(b -> b.bucket(BUCKET));
            Map<String, String> metadata = new HashMap<>(aws);
            metadata.put("deltaplane.warehouse.storage-roots", S3_ROOT);
            PlatformApps apps = PlatformApps.start(null, metadata);
            started = new DeltaTestPlatform(apps, aws, s3);
            // Every test's tables live in lake.ingest.
            TestHttp http = new TestHttp(apps.metadataUrl(), PlatformApps.ADMIN_KEY);
            for (var created : List.of(
                    http.post("/api/v1/catalogs", "{\"name\":\"lake\"}"),
                    http.post("/api/v1/schemas", "{\"catalog_name\":\"lake\",\"name\":\"ingest\"}"))) {
                if (created.statusCode() != 201) {
                    throw new IllegalStateException("setting up lake.ingest: " + created.body());
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                apps.close();
                s3Proxy.close();
            }));
        }
        return started;
    }

    /**
     * The worker's lineage reporter as the worker makes it, reporting to this platform's
     * lineage-service with the admin key (started: call {@link IngestRuns#stop} when done).
     */
    IngestRuns ingestRuns(Warehouse warehouse, String kafkaBootstrap) {
        IngestRuns runs = new IngestRuns(
                new ServicesProperties(
                        URI.create(apps.metadataUrl()),
                        URI.create(apps.lineageUrl()),
                        PlatformApps.ADMIN_KEY,
                        Duration.ofSeconds(30)),
                new IngestProperties(
                        kafkaBootstrap, Duration.ofSeconds(1), true, Duration.ofSeconds(45), Duration.ofSeconds(5)),
                warehouse,
                DeltaTestSinks.JSON,
                Clock.systemUTC(),
                new SimpleMeterRegistry());
        runs.start();
        return runs;
    }
}
