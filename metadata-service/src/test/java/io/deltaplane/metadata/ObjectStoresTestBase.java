package io.deltaplane.metadata;

import io.deltaplane.storage.AzureBlobStorage;
import io.deltaplane.storage.S3Storage;
import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.S3ProxyServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The service on S3 (S3Proxy) and Azure (Azurite) at once, each reached through {@link
 * FaultyConnections} that pass bytes untouched until a test arms a fault; storage roots on both.
 * One Spring context (and one pair of servers) for every class extending this, so each adds only
 * its own tests' time. {@link #s3} and {@link #azure} reach the stores directly, past the links.
 * The servers live as long as the test JVM (the cached context may serve a later class).
 */
@TestPropertySource(
        properties = {
            "deltaplane.warehouse.storage-roots=${java.io.tmpdir}," + ObjectStoresTestBase.S3_ROOT + ","
                    + ObjectStoresTestBase.AZURE_ROOT,
            "deltaplane.publish.retry-initial-backoff=100ms",
            "deltaplane.publish.retry-max-backoff=400ms",
            // under ten versions per table in these tests; checkpoints are Kernel's or none
            "deltaplane.publish.checkpoints=false"
        })
public abstract class ObjectStoresTestBase extends MetadataTestBase {

    public static final String S3_ROOT = "s3://lake/governed";
    public static final String AZURE_ROOT = "abfss://lake@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/governed";

    protected static FaultyConnections s3Link;
    protected static FaultyConnections azureLink;
    protected static S3Storage s3;
    protected static AzureBlobStorage azure;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) throws Exception {
        AzuriteServer azurite = AzuriteServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(azurite::close)); // a child process
        azureLink = FaultyConnections.inFrontOf(azurite.port());
        azure = AzureBlobStorage.fromEnvironment(Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()));
        azure.serviceClient(AzuriteServer.ACCOUNT).createBlobContainer("lake");
        registry.add("AZURE_STORAGE_CONNECTION_STRING", () -> AzuriteServer.connectionString(azureLink.port()));

        S3ProxyServer s3Proxy = S3ProxyServer.start(); // in this JVM: gone with it
        s3Link = FaultyConnections.inFrontOf(s3Proxy.port());
        Map<String, String> env = new HashMap<>(s3Proxy.environment());
        s3 = S3Storage.fromEnvironment(env);
        s3.client().createBucket(b -> b.bucket("lake"));
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3Link.port());
        env.put("DELTAPLANE_STORAGE_TIMEOUT", "1s"); // a stalled attempt gives up in a second
        env.put("DELTAPLANE_STORAGE_RETRY_DELAY", "100ms"); // and the next comes soon (Azure's own: 4 s)
        env.forEach((name, value) -> registry.add(name, () -> value));
    }

    @AfterEach
    void healTheLinks() {
        s3Link.heal();
        azureLink.heal();
    }
}
