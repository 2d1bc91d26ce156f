package io.deltaplane.storage;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Temporary S3 credentials for one prefix, as Unity Catalog's credential vending hands them to
 * engines: STS {@code AssumeRole} of the role the operator named, with a session policy that narrows
 * the role to the objects under the prefix (read: {@code GetObject}; write: also {@code PutObject},
 * {@code DeleteObject} and multipart) and to listing only under it. A session policy can only
 * narrow what the role may do, never widen it.
 *
 * <p>STS is reached the way the S3 client reaches S3 ({@link S3Clients}): {@code
 * AWS_ENDPOINT_URL_STS} or {@code AWS_ENDPOINT_URL} for another endpoint, the region from {@code
 * AWS_REGION} or the AWS config file, the platform's own credentials from {@code AWS_ACCESS_KEY_ID}
 * and {@code AWS_SECRET_ACCESS_KEY} or else the SDK's default chain.
 */
public final class S3TemporaryCredentials implements AutoCloseable {

    /** STS accepts 15 minutes to the role's maximum session (one hour unless the role says more). */
    public static final Duration SHORTEST = Duration.ofMinutes(15);

    /** What an engine is given; {@link #toString()} never shows the secret or the token. */
    public record Vended(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
        @Override
        public String toString() {
            return "Vended[accessKeyId=" + accessKeyId + ", expiration=" + expiration + "]";
        }
    }

    private final StsClient sts;
    private final String roleArn;
    private final Duration duration;

    S3TemporaryCredentials(StsClient sts, String roleArn, Duration duration) {
        this.sts = requireNonNull(sts, "sts");
        this.roleArn = requireNonNull(roleArn, "roleArn");
        this.duration = requireNonNull(duration, "duration");
        if (duration.compareTo(SHORTEST) < 0 || duration.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("credentials last from 15 minutes to 12 hours, not " + duration);
        }
    }

    /** A vendor assuming {@code roleArn} for {@code duration}, STS configured by {@code env}. */
    public static S3TemporaryCredentials fromEnvironment(Map<String, String> env, String roleArn, Duration duration) {
        StsClientBuilder builder = StsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(StorageTimeout.from(env)));
        String endpoint = S3Clients.firstNonBlank(env.get("AWS_ENDPOINT_URL_STS"), env.get("AWS_ENDPOINT_URL"));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.region(S3Clients.region(env, endpoint != null, S3Clients.OPERATOR_REGION));
        S3Clients.operatorCredentials(env).ifPresent(builder::credentialsProvider);
        return new S3TemporaryCredentials(builder.build(), roleArn, duration);
    }

    /**
     * Credentials for {@code location} ({@code s3://bucket/prefix}), reading only or reading and
     * writing; {@code caller} names the session (it shows in CloudTrail as who the engine acted for).
     */
    public Vended vend(String location, boolean write, String caller) {
        ObjectLocation at = ObjectLocation.parse(location);
        Credentials credentials = sts.assumeRole(r -> r.roleArn(roleArn)
                        .roleSessionName(sessionName(caller))
                        .durationSeconds((int) duration.toSeconds())
                        .policy(sessionPolicy(at.container(), at.key(), write)))
                .credentials();
        return new Vended(
                credentials.accessKeyId(),
                credentials.secretAccessKey(),
                credentials.sessionToken(),
                credentials.expiration());
    }

    /**
     * The session policy: the objects under {@code prefix} in {@code bucket}, and listing the bucket
     * only under it. S3 keys may hold IAM's wildcard and variable characters ({@code * ? $}); they are
     * escaped so the policy names the prefix, not a pattern.
     */
    static String sessionPolicy(String bucket, String prefix, boolean write) {
        String path = escape(prefix.replaceAll("^/+", "").replaceAll("/+$", ""));
        List<String> actions = new ArrayList<>(List.of("s3:GetObject"));
        if (write) {
            actions.addAll(List.of(
                    "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"));
        }
        String bucketArn = "arn:aws:s3:::" + bucket;
        String objects = path.isEmpty() ? bucketArn + "/*" : bucketArn + "/" + path + "/*";
        // Listing only under "path/": "path" alone would also list a neighbour named "path_pii/…".
        String listing = path.isEmpty()
                ? "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"" + bucketArn + "\"]}"
                : "{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\"],\"Resource\":[\"" + bucketArn + "\"],"
                        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"" + path + "/*\"]}}}";
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":" + quoted(actions) + ",\"Resource\":[\"" + objects + "\"]},"
                + listing + ","
                // its requests carry no prefix: a statement of its own, or it is never allowed
                + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketLocation\"],\"Resource\":[\"" + bucketArn
                + "\"]}]}";
    }

    /**
     * STS session names are 2–64 of {@code [\w+=,.@-]}: the caller's name where it is one, else
     * what fits of it and a hash of the whole.
     */
    static String sessionName(String caller) {
        String given = caller == null ? "" : caller;
        String safe = given.replaceAll("[^\\w+=,.@-]", "_");
        String name = "deltaplane-" + safe;
        if (!safe.equals(given) || name.length() > 64 || safe.isEmpty()) {
            // changed or cut: a hash of the real name keeps two principals' sessions apart
            String hash = sha256Hex(given).substring(0, 8);
            name = name.substring(0, Math.min(name.length(), 64 - hash.length() - 1)) + "-" + hash;
        }
        return name;
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String escape(String key) {
        // IAM's literal forms of its special characters; $ first, as the others' forms contain one
        StringBuilder json = new StringBuilder();
        for (char c : key.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> json.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return json.toString().replace("$", "${$}").replace("*", "${*}").replace("?", "${?}");
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @Override
    public void close() {
        sts.close();
    }
}
