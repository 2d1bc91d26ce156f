package io.deltaplane.storage;

import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.S3ProxyServer;
import java.util.HashMap;
import java.util.Map;

/**
 * A backend that reaches its store through {@link FaultyConnections}, configured from the
 * variables an operator sets plus the storage settings under test; its container or bucket {@code
 * lake} is created directly, past the link.
 */
final class StoresBehindALink {

    private StoresBehindALink() {}

    static AzureBlobStorage azure(AzuriteServer azurite, FaultyConnections link, Map<String, String> settings) {
        AzureBlobStorage.fromEnvironment(Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()))
                .serviceClient(AzuriteServer.ACCOUNT)
                .createBlobContainer("lake");
        Map<String, String> env = new HashMap<>(settings);
        env.put("AZURE_STORAGE_CONNECTION_STRING", AzuriteServer.connectionString(link.port()));
        return AzureBlobStorage.fromEnvironment(env);
    }

    static S3Storage s3(S3ProxyServer s3, FaultyConnections link, Map<String, String> settings) {
        S3Storage.fromEnvironment(s3.environment()).client().createBucket(b -> b.bucket("lake"));
        Map<String, String> env = new HashMap<>(s3.environment());
        env.putAll(settings);
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + link.port());
        return S3Storage.fromEnvironment(env);
    }
}
