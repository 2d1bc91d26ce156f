package io.deltaplane.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.S3ProxyServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An artifact larger than the heap ({@link StreamedArtifact#LARGE_SIZE}) up to S3 and back through the HTTP API with the heap capped at 256 MB (the
 * {@code capped-heap} surefire execution): the service stages and sends it in parts, and streams it
 * back, never holding it. S3Proxy keeps its objects on disk here, so the heap under test holds only
 * what the service and the SDK hold.
 */
@LineageServiceTest
@TestPropertySource(properties = "deltaplane.artifacts.uri=s3://lake/artifacts")
class LargeArtifactOnS3Test {

    private static S3ProxyServer S3;
    private static S3Client client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        S3 = S3ProxyServer.startOnDisk(); // before the Spring context, which needs its address
        Map<String, String> env = S3.environment();
        env.forEach((name, value) -> registry.add(name, () -> value));
        client = S3Storage.fromEnvironment(env).client();
        client.createBucket(b -> b.bucket("lake"));
    }

    @AfterAll
    static void stop() {
        S3.close();
    }

    @Test
    void moreThanTheHeapGoesUpToTheBucketAndComesBackWithA256MegabyteHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("this test must run in the capped-heap surefire execution (-Xmx256m)")
                .isLessThanOrEqualTo(LargeArtifactTest.HEAP_CAP);
        long size = StreamedArtifact.LARGE_SIZE;

        StreamedArtifact.Timings timings =
                StreamedArtifact.roundTrip(port, "/api/v1/datasets/big/runs/2026/large.bin", size, 13);

        assertThat(client.headObject(b -> b.bucket("lake").key("artifacts/big/runs/2026/large.bin"))
                        .contentLength())
                .isEqualTo(size);
        System.out.printf("%d bytes on S3: upload %s, download %s%n", size, timings.upload(), timings.download());
    }
}
