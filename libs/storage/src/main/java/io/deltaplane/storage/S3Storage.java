package io.deltaplane.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code s3://bucket/key} and {@code s3a://bucket/key} on AWS S3 or an S3-compatible store (MinIO,
 * Ceph) through AWS SDK v2. Put-if-absent is S3's conditional write ({@code If-None-Match: *} on
 * PutObject and CompleteMultipartUpload): the store refuses to create an existing key with 412.
 * Objects larger than one part stream as a multipart upload, visible only once completed.
 */
public class S3Storage implements Storage {

    /** 8 MiB parts: above S3's 5 MiB minimum, small enough to hold one at a time. */
    static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    private static final int PRECONDITION_FAILED = 412;

    /** User metadata naming the upload that created an object (x-amz-meta-deltaplane-upload). */
    static final String UPLOAD_MARK = "deltaplane-upload";

    private static final int CONFLICT = 409; // a concurrent conditional write on the same key: retry
    private static final int NOT_FOUND = 404;
    private static final int RANGE_NOT_SATISFIABLE = 416;
    private static final int CONFLICT_RETRIES = 5;

    private final S3Client s3;
    private final int partSize;
    private volatile S3Presigner presigner;

    public S3Storage(S3Client s3) {
        this(s3, DEFAULT_PART_SIZE);
    }

    S3Storage(S3Client s3, int partSize) {
        this.s3 = s3;
        this.partSize = partSize;
    }

    /**
     * A client the way the AWS CLI would configure it: the default credential chain (environment,
     * profile, IRSA web identity, instance role), the default region chain ({@code AWS_REGION}), and
     * {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL} with path-style addressing for
     * S3-compatible stores. {@code DELTAPLANE_STORAGE_TIMEOUT} bounds each attempt's wait for bytes
     * (the SDK then retries the attempt), {@code DELTAPLANE_STORAGE_RETRIES} and {@code
     * DELTAPLANE_STORAGE_RETRY_DELAY} how often and how soon it does ({@link StorageRetries}).
     */
    public static S3Storage fromEnvironment(Map<String, String> env) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(StorageTimeout.from(env)));
        String endpoint = firstNonBlank(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        builder.region(region(env, endpoint != null));
        retryStrategy(StorageRetries.from(env))
                .ifPresent(strategy -> builder.overrideConfiguration(o -> o.retryStrategy(strategy)));
        String keyId = firstNonBlank(env.get("AWS_ACCESS_KEY_ID"));
        String secret = firstNonBlank(env.get("AWS_SECRET_ACCESS_KEY"));
        if (keyId != null && secret != null) {
            // The same variables the default chain reads, but from the map this was given (tests,
            // Spring properties); without them the default chain (profile, IRSA, instance role) applies.
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    firstNonBlank(env.get("AWS_SESSION_TOKEN")) == null
                            ? AwsBasicCredentials.create(keyId, secret)
                            : AwsSessionCredentials.create(keyId, secret, env.get("AWS_SESSION_TOKEN"))));
        }
        return new S3Storage(builder.build());
    }

    /**
     * The SDK's standard strategy with {@link StorageRetries}' count and first delay where set
     * (unset: 3 attempts from 100 ms, up to 20 s apart); empty when neither is, so the SDK's default
     * applies as configured for it ({@code AWS_RETRY_MODE}, {@code AWS_MAX_ATTEMPTS}). A throttled
     * request (503 Slow Down) keeps the strategy's own longer back-off: retrying it sooner only adds load.
     */
    static Optional<RetryStrategy> retryStrategy(StorageRetries retries) {
        if (retries.sdkDefaults()) {
            return Optional.empty();
        }
        Duration delay = retries.delay().orElse(S3_RETRY_DELAY);
        Duration max = delay.compareTo(S3_MAX_RETRY_DELAY) > 0 ? delay : S3_MAX_RETRY_DELAY;
        return Optional.of(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retries.retries().map(r -> r + 1).orElse(S3_ATTEMPTS))
                .backoffStrategy(BackoffStrategy.exponentialDelay(delay, max))
                .build());
    }

    // The standard strategy's own defaults, kept for whichever of the two is not set.
    private static final int S3_ATTEMPTS = 3;
    private static final Duration S3_RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration S3_MAX_RETRY_DELAY = Duration.ofSeconds(20);

    private static Region region(Map<String, String> env, boolean customEndpoint) {
        String named = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        if (named != null) {
            return Region.of(named);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            if (customEndpoint) {
                return Region.US_EAST_1; // S3-compatible stores ignore the region but the SDK needs one
            }
            throw e;
        }
    }

    /** The SDK client, for what the storage layer does not do (tests create buckets with it). */
    public S3Client client() {
        return s3;
    }

    @Override
    public boolean supports(String location) {
        return location != null && (location.startsWith("s3://") || location.startsWith("s3a://"));
    }

    @Override
    public String resolve(String location, String name) {
        return ObjectLocation.join(location, name);
    }

    @Override
    public boolean putIfAbsent(String path, Content content) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (exists(at)) {
            return false; // the cheap answer; the conditional write below still decides races
        }
        return PartUpload.upload(content, new Upload(at, true), partSize);
    }

    /**
     * A small object in one conditional PutObject, without the existence check first: the store
     * decides, and the publisher's hot path (one {@code _delta_log} file per version) costs one
     * request instead of two.
     */
    @Override
    public boolean putIfAbsent(String path, byte[] content) throws IOException {
        if (content.length > partSize) {
            return putIfAbsent(path, out -> out.write(content));
        }
        return new Upload(ObjectLocation.parse(path), true).single(content, content.length);
    }

    @Override
    public void put(String path, Content content) throws IOException {
        putTagged(path, content);
    }

    /** The tag is the upload's mark ({@code x-amz-meta-deltaplane-upload}). */
    @Override
    public Optional<String> putTagged(String path, Content content) throws IOException {
        Upload upload = new Upload(ObjectLocation.parse(path), false);
        PartUpload.upload(content, upload, partSize);
        return Optional.of(upload.mark());
    }

    @Override
    public Optional<String> tag(String path) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        return metadata(at).map(m -> m.getOrDefault(UPLOAD_MARK, ""));
    }

    /** One object's upload: a single PutObject, or a multipart upload started on the first part. */
    private final class Upload implements PartUpload.Sink {
        private final ObjectLocation at;
        private final boolean ifAbsent;
        private final List<CompletedPart> parts = new ArrayList<>();
        private final Map<String, String> uploadMark =
                Map.of(UPLOAD_MARK, java.util.UUID.randomUUID().toString());
        private String uploadId;

        Upload(ObjectLocation at, boolean ifAbsent) {
            this.at = at;
            this.ifAbsent = ifAbsent;
        }

        String mark() {
            return uploadMark.get(UPLOAD_MARK);
        }

        @Override
        public boolean single(byte[] bytes, int length) throws IOException {
            return conditional(() -> s3.putObject(
                    b -> b.bucket(at.container())
                            .key(at.key())
                            .metadata(uploadMark)
                            .ifNoneMatch(ifAbsent ? "*" : null),
                    RequestBody.fromBytes(java.util.Arrays.copyOf(bytes, length))));
        }

        @Override
        public void part(int number, byte[] bytes, int length) throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(
                                    b -> b.bucket(at.container()).key(at.key()).metadata(uploadMark))
                            .uploadId();
                }
                String etag = s3.uploadPart(
                                b -> b.bucket(at.container())
                                        .key(at.key())
                                        .uploadId(uploadId)
                                        .partNumber(number)
                                        .contentLength((long) length),
                                RequestBody.fromInputStream(new java.io.ByteArrayInputStream(bytes, 0, length), length))
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (SdkException e) {
                throw new IOException("S3 upload of part " + number + " to " + at + " failed", e);
            }
        }

        @Override
        public boolean complete(int count) throws IOException {
            return conditional(() -> s3.completeMultipartUpload(b -> b.bucket(at.container())
                    .key(at.key())
                    .uploadId(uploadId)
                    .ifNoneMatch(ifAbsent ? "*" : null)
                    .multipartUpload(m -> m.parts(parts))));
        }

        @Override
        public void abort() {
            if (uploadId != null) {
                s3.abortMultipartUpload(
                        b -> b.bucket(at.container()).key(at.key()).uploadId(uploadId));
            }
        }

        /**
         * Runs a conditional create. A 412 is "exists" only when the object there is not this
         * upload's: the SDK retries a request whose answer it lost (a reset connection, a timeout),
         * and the retry of a create the store had already applied meets our own object — it carries
         * this upload's mark.
         */
        private boolean conditional(Runnable request) throws IOException {
            for (int attempt = 1; ; attempt++) {
                try {
                    request.run();
                    return true;
                } catch (S3Exception e) {
                    if (ifAbsent && e.statusCode() == PRECONDITION_FAILED) {
                        Optional<Map<String, String>> there = metadata(at);
                        if (there.isPresent()) {
                            return uploadMark
                                    .get(UPLOAD_MARK)
                                    .equals(there.get().get(UPLOAD_MARK));
                        }
                        // No object: S3-compatible stores (S3Proxy among them) can refuse a key
                        // whose aborted multipart upload they are still cleaning up. Real S3
                        // never shows a 412 without the object.
                        if (attempt < CONFLICT_RETRIES) {
                            pause(attempt);
                            continue;
                        }
                        return false;
                    }
                    if (ifAbsent && e.statusCode() == CONFLICT && attempt < CONFLICT_RETRIES) {
                        continue; // S3 asks to retry a conditional write that raced another one
                    }
                    throw new IOException("S3 write to " + at + " failed", e);
                } catch (SdkException e) {
                    throw new IOException("S3 write to " + at + " failed", e);
                }
            }
        }
    }

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while retrying a conditional write");
        }
    }

    @Override
    public Optional<InputStream> open(String path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(
                    b -> b.bucket(at.container()).key(at.key()).range(offset == 0 ? null : "bytes=" + offset + "-"));
            return Optional.of(in);
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            if (e.statusCode() == RANGE_NOT_SATISFIABLE) {
                // The object is there but ends at or before offset: nothing more to read.
                return Optional.of(InputStream.nullInputStream());
            }
            throw new IOException("S3 read of " + path + " failed", e);
        } catch (SdkException e) {
            throw new IOException("S3 read of " + path + " failed", e);
        }
    }

    /** The object's size from the one HEAD request {@link #stat} makes. */
    @Override
    public OptionalLong size(String path) throws IOException {
        Optional<StoredFile> file = stat(path);
        return file.isPresent() ? OptionalLong.of(file.get().size()) : OptionalLong.empty();
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        return stat(ObjectLocation.parse(path));
    }

    private Optional<StoredFile> stat(ObjectLocation at) throws IOException {
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        try {
            HeadObjectResponse head =
                    s3.headObject(b -> b.bucket(at.container()).key(at.key()));
            return Optional.of(new StoredFile(
                    name(at.key()), head.contentLength(), head.lastModified().toEpochMilli()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("S3 head of " + at + " failed", e);
        } catch (SdkException e) {
            throw new IOException("S3 head of " + at + " failed", e);
        }
    }

    private static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Override
    public boolean delete(String path) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (!exists(at)) {
            return false; // S3's DeleteObject says nothing about whether there was one
        }
        try {
            s3.deleteObject(b -> b.bucket(at.container()).key(at.key()));
            return true;
        } catch (SdkException e) {
            throw new IOException("S3 delete of " + path + " failed", e);
        }
    }

    @Override
    public boolean exists(String path) throws IOException {
        return exists(ObjectLocation.parse(path));
    }

    private boolean exists(ObjectLocation at) throws IOException {
        return stat(at).isPresent();
    }

    /** The object's user metadata, or empty when there is no object. */
    private Optional<Map<String, String>> metadata(ObjectLocation at) throws IOException {
        try {
            return Optional.of(
                    s3.headObject(b -> b.bucket(at.container()).key(at.key())).metadata());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("S3 HEAD of " + at + " failed", e);
        } catch (SdkException e) {
            throw new IOException("S3 HEAD of " + at + " failed", e);
        }
    }

    @Override
    public List<StoredFile> files(String directory) throws IOException {
        return files(directory, null);
    }

    /**
     * StartAfter is exclusive: the listing starts after {@code from} without its last character (a
     * key that sorts just before it), and the few keys between the two are filtered out here.
     */
    @Override
    public List<StoredFile> filesFrom(String directory, String from) throws IOException {
        if (from.isEmpty()) {
            return files(directory, null);
        }
        return files(directory, from).stream()
                .filter(f -> f.name().compareTo(from) >= 0)
                .toList();
    }

    @Override
    public List<StoredFile> filesUnder(String directory) throws IOException {
        return files(directory, null, null);
    }

    private List<StoredFile> files(String directory, String from) throws IOException {
        return files(directory, from, "/");
    }

    /** One listing of {@code directory}: its own files with delimiter "/", everything under it without. */
    private List<StoredFile> files(String directory, String from, String delimiter) throws IOException {
        ObjectLocation at = ObjectLocation.parse(directory);
        String prefix = at.directoryPrefix();
        List<StoredFile> files = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(at.container())
                    .prefix(prefix)
                    .delimiter(delimiter)
                    .startAfter(from == null ? null : prefix + from.substring(0, from.length() - 1))
                    .build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(prefix.length());
                    if (!name.isEmpty()) {
                        files.add(new StoredFile(
                                name, object.size(), object.lastModified().toEpochMilli()));
                    }
                }
            }
        } catch (NoSuchKeyException e) {
            return List.of();
        } catch (SdkException e) {
            throw new IOException("S3 list of " + directory + " failed", e);
        }
        files.sort(Comparator.comparing(StoredFile::name));
        return files;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    /**
     * An S3 presigned GET, signed with this client's credentials and valid for {@code validFor} (at
     * most 7 days; less when the credentials are temporary, e.g. IRSA's, which expire sooner).
     */
    @Override
    public Optional<URI> signedReadUrl(String path, Duration validFor) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        try {
            return Optional.of(presigner()
                    .presignGetObject(request -> request.signatureDuration(validFor)
                            .getObjectRequest(get -> get.bucket(at.container()).key(at.key())))
                    .url()
                    .toURI());
        } catch (SdkException | java.net.URISyntaxException e) {
            throw new IOException("Signing a read of " + path + " failed", e);
        }
    }

    private S3Presigner presigner() {
        S3Presigner current = presigner;
        if (current == null) {
            synchronized (this) {
                if (presigner == null) {
                    // The client's own region, endpoint and credentials, so a URL works where the
                    // client does (path-style for S3-compatible endpoints, as the client).
                    S3ServiceClientConfiguration config = s3.serviceClientConfiguration();
                    S3Presigner.Builder builder = S3Presigner.builder()
                            .region(config.region())
                            .credentialsProvider(config.credentialsProvider());
                    config.endpointOverride()
                            .ifPresent(endpoint -> builder.endpointOverride(endpoint)
                                    .serviceConfiguration(S3Configuration.builder()
                                            .pathStyleAccessEnabled(true)
                                            .build()));
                    presigner = builder.build();
                }
                current = presigner;
            }
        }
        return current;
    }
}
