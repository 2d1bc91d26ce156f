package io.deltaplane.lineage;

import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.S3ProxyServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Artifacts on S3 ({@code DELTAPLANE_ARTIFACTS_URI=s3://lake/artifacts}; S3Proxy, a real S3
 * protocol server in this JVM), reached through {@link FaultyConnections} that pass bytes untouched
 * until a test arms a fault, and configured only by the AWS variables an operator would set. One
 * Spring context for every class extending this; {@link #client} reaches the bucket directly, past
 * the link. S3Proxy lives as long as the test JVM (the cached context may serve a later class).
 */
@LineageServiceTest
@TestPropertySource(properties = "deltaplane.artifacts.uri=s3://lake/artifacts")
abstract class ArtifactsOnS3TestBase extends ArtifactsOverHttp {

    static FaultyConnections link;
    static S3Client client;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        S3ProxyServer s3 = S3ProxyServer.start(); // before the Spring context, which needs its address
        link = FaultyConnections.inFrontOf(s3.port());
        Map<String, String> env = new HashMap<>(s3.environment());
        client = S3Storage.fromEnvironment(env).client();
        client.createBucket(b -> b.bucket("lake"));
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + link.port());
        // A stalled store fails an attempt in seconds, not the SDK's default 30 s; 1 s cut healthy
        // 16 MB reads short when S3Proxy's JVM waited longer than that for a core in CI.
        env.put("DELTAPLANE_STORAGE_TIMEOUT", "3s");
        env.forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterEach
    void healTheLink() {
        link.heal();
    }
}
