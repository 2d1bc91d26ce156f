package io.deltaplane.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code s3://bucket/key} and {@code s3a://bucket/key} on AWS S3 or an S3-compatible store (MinIO,
 * Ceph) through AWS SDK v2. Put-if-absent is S3's conditional write ({@code If-None-Match: *} on
 * PutObject and CompleteMultipartUpload): the store refuses to create an existing key with 412.
 * Objects larger than one part stream as a multipart upload, visible only once completed ({@link
 * S3Upload}).
 */
public class S3Storage implements Storage {

    /** 8 MiB parts: above S3's 5 MiB minimum, small enough to hold one at a time. */
    static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

    private static final int NOT_FOUND = 404;
    private static final int RANGE_NOT_SATISFIABLE = 416;

    private final S3Client s3;
    private final int partSize;
    private final S3Listing listing;
    private final S3ReadUrls readUrls;

    public S3Storage(S3Client s3) {
        this(s3, DEFAULT_PART_SIZE);
    }

    S3Storage(S3Client s3, int partSize) {
        this.s3 = s3;
        this.partSize = partSize;
        this.listing = new S3Listing(s3);
        this.readUrls = new S3ReadUrls(s3);
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
        return new S3Storage(S3Clients.fromEnvironment(env));
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
        return PartUpload.upload(content, new S3Upload(s3, at, true), partSize);
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
        return new S3Upload(s3, ObjectLocation.parse(path), true).single(content, content.length);
    }

    @Override
    public void put(String path, Content content) throws IOException {
        putTagged(path, content);
    }

    /** The tag is the upload's mark ({@code x-amz-meta-deltaplane-upload}). */
    @Override
    public Optional<String> putTagged(String path, Content content) throws IOException {
        S3Upload upload = new S3Upload(s3, ObjectLocation.parse(path), false);
        PartUpload.upload(content, upload, partSize);
        return Optional.of(upload.mark());
    }

    @Override
    public Optional<String> tag(String path) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        if (at.key().isEmpty()) {
            return Optional.empty();
        }
        return S3Upload.markOf(s3, at);
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

    @Override
    public List<StoredFile> files(String directory) throws IOException {
        return listing.files(directory);
    }

    /** One listing from S3's StartAfter (see {@link S3Listing#filesFrom}). */
    @Override
    public List<StoredFile> filesFrom(String directory, String from) throws IOException {
        return listing.filesFrom(directory, from);
    }

    @Override
    public List<StoredFile> filesUnder(String directory) throws IOException {
        return listing.filesUnder(directory);
    }

    /**
     * An S3 presigned GET, signed with this client's credentials and valid for {@code validFor} (at
     * most 7 days; less when the credentials are temporary, e.g. IRSA's, which expire sooner).
     */
    @Override
    public Optional<URI> signedReadUrl(String path, Duration validFor) throws IOException {
        return Optional.of(readUrls.signedRead(path, validFor));
    }
}
