package io.deltaplane.testing;

import java.util.Map;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;

/**
 * S3Proxy, a real S3 protocol server from Maven Central, in the test JVM on a random port, with
 * access keys; started before a Spring context that needs its address. {@link #environment()} is
 * what an operator would set for an S3-compatible store (the apps read the same variables). A
 * module using it declares {@code org.gaul:s3proxy} as a test dependency.
 */
public final class S3ProxyServer implements AutoCloseable {

    private final S3ProxyExtension proxy;

    private S3ProxyServer(S3ProxyExtension proxy) {
        this.proxy = proxy;
    }

    /** Objects in memory (S3Proxy's {@code transient} store): quick, for objects of a few megabytes. */
    public static S3ProxyServer start() {
        return start("transient");
    }

    /**
     * Objects in files under a temporary directory (S3Proxy's {@code filesystem} store, the one
     * {@code ./platform up} runs): for objects too large for the test JVM's heap — the in-memory
     * store would hold every byte of a gigabyte upload in the heap of the JVM under test. The
     * directory goes with {@link #close()}.
     */
    public static S3ProxyServer startOnDisk() {
        return start("filesystem");
    }

    private static S3ProxyServer start(String provider) {
        S3ProxyExtension proxy = S3ProxyExtension.builder()
                .withCredentials(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
                .withBlobStoreProvider(provider)
                .build();
        try {
            proxy.beforeEach(null); // the extension's own start, outside JUnit's lifecycle
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        return new S3ProxyServer(proxy);
    }

    /** {@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION} and the access keys of this server. */
    public Map<String, String> environment() {
        return Map.of(
                "AWS_ENDPOINT_URL_S3", proxy.getUri().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", proxy.getAccessKey(),
                "AWS_SECRET_ACCESS_KEY", proxy.getSecretKey());
    }

    /** The port S3Proxy listens on (127.0.0.1), for a proxy put in front of it. */
    public int port() {
        return proxy.getUri().getPort();
    }

    public String secretKey() {
        return proxy.getSecretKey();
    }

    @Override
    public void close() {
        proxy.afterEach(null);
    }
}
