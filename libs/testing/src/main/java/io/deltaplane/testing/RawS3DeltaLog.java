package io.deltaplane.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A table's published {@code _delta_log} on S3 read by an independent reader: the AWS SDK's own S3
 * client, configured here from an endpoint and keys (not by the platform's {@code
 * io.deltaplane.storage}, whose writes are what is judged), each commit file fetched whole and
 * parsed line by line with Jackson. Every action is then projected onto the fields Delta's protocol
 * gives its kind ({@link DeltaLogVersions#fromJson}), so that it compares field by field with what
 * Postgres recorded ({@link CommitChecker#checkEveryAction}).
 *
 * <p>The AWS SDK is an optional dependency of this library: the modules that test against S3
 * declare it.
 */
public final class RawS3DeltaLog implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final S3Client s3;

    private RawS3DeltaLog(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * A reader of the S3 server that {@code environment} names as an operator would
     * ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}, {@code
     * AWS_SECRET_ACCESS_KEY}; {@link S3ProxyServer#environment}): straight to it, path-style.
     */
    public static RawS3DeltaLog connect(Map<String, String> environment) {
        return new RawS3DeltaLog(client(environment));
    }

    /** The SDK's S3 client for the server {@code environment} names (see {@link #connect}); the caller closes it. */
    public static S3Client client(Map<String, String> environment) {
        return S3Client.builder()
                .endpointOverride(URI.create(environment.get("AWS_ENDPOINT_URL_S3")))
                .region(Region.of(environment.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))))
                .forcePathStyle(true)
                .build();
    }

    /**
     * Every action of each version 0..{@code newest} of the table at {@code location} ({@code
     * s3://bucket/prefix}), read from its {@code _delta_log/<version>.json}; index {@code v} holds
     * version {@code v}. Fails when a commit file is missing or a line is not one action of a kind
     * Delta defines.
     */
    public List<DeltaLogVersions.Version> versions(String location, long newest) throws IOException {
        URI table = URI.create(location.endsWith("/") ? location : location + "/");
        if (!"s3".equals(table.getScheme())) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String bucket = table.getHost();
        String prefix = table.getPath().substring(1);
        DeltaLogVersions.VersionCollector collector = new DeltaLogVersions.VersionCollector(newest);
        for (long v = 0; v <= newest; v++) {
            String key = prefix + "_delta_log/" + String.format(Locale.ROOT, "%020d.json", v);
            String commit;
            try {
                commit = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
            } catch (NoSuchKeyException e) {
                throw new IOException("version " + v + " is not published: no s3://" + bucket + "/" + key, e);
            }
            for (String line : commit.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode action = JSON.readTree(line);
                String kind = action.size() == 1
                        ? action.properties().iterator().next().getKey()
                        : null;
                if (!DeltaLogVersions.KINDS.contains(kind)) {
                    throw new IOException("version " + v + " of " + location + " holds a line that is not one"
                            + " action of a kind Delta defines: " + line);
                }
                collector.action(v, kind, DeltaLogVersions.fromJson(kind, action.get(kind)));
            }
        }
        return collector.versions();
    }

    @Override
    public void close() {
        s3.close();
    }
}
