package io.deltaplane.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context the ingest tests share: the real app on a random port, the JVM's test
 * Postgres database, the embedded KRaft broker as default bootstrap and a DuckDB temp file. Keep
 * every annotation here so the context is built once.
 */
@SpringBootTest(
        classes = IngestWorkerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "deltaplane.security.admin-api-key=" + IngestSpringTest.ADMIN_KEY,
            "deltaplane.ingest.poll-interval=200ms"
        })
public abstract class IngestSpringTest {

    public static final String ADMIN_KEY = "test-admin-key-ingest-000001";
    static final Path WAREHOUSE;
    /** The operator's secrets directory (as a mounted Kubernetes Secret): one file per secret. */
    public static final Path SECRETS;

    static {
        try {
            Path dir = Files.createTempDirectory("ingest-test");
            dir.toFile().deleteOnExit();
            WAREHOUSE = dir.resolve("warehouse.duckdb");
            SECRETS = Files.createDirectories(dir.resolve("secrets"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        registry.add("deltaplane.warehouse.duckdb", WAREHOUSE::toString);
        registry.add("deltaplane.ingest.kafka-bootstrap", TestKafka::bootstrap);
        registry.add("deltaplane.ingest.policy.secrets-dir", SECRETS::toString);
        registry.add("deltaplane.ingest.policy.allowed-hosts", () -> "localhost:9092,127.0.0.1:1");
    }
}
