package io.deltaplane.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One object's upload: a single PutObject, or a multipart upload started on the first part,
 * conditional ({@code If-None-Match: *}) when it must not replace an object; the object carries the
 * upload's mark in its user metadata.
 */
final class S3Upload implements PartUpload.Sink {

    /** User metadata naming the upload that created an object (x-amz-meta-deltaplane-upload). */
    static final String UPLOAD_MARK = "deltaplane-upload";

    private static final int PRECONDITION_FAILED = 412;
    private static final int CONFLICT = 409; // a concurrent conditional write on the same key: retry
    private static final int NOT_FOUND = 404;
    private static final int CONFLICT_RETRIES = 5;

    private final S3Client s3;
    private final ObjectLocation at;
    private final boolean ifAbsent;
    private final List<CompletedPart> parts = new ArrayList<>();
    private final Map<String, String> uploadMark =
            Map.of(UPLOAD_MARK, UUID.randomUUID().toString());
    private String uploadId;

    S3Upload(S3Client s3, ObjectLocation at, boolean ifAbsent) {
        this.s3 = s3;
        this.at = at;
        this.ifAbsent = ifAbsent;
    }

    /**
     * The upload mark of the object at {@code at} (empty string if it has none: written by another
     * tool), or empty when there is no object.
     */
    static Optional<String> markOf(S3Client s3, ObjectLocation at) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(at.container()).key(at.key()))
                    .metadata()
                    .getOrDefault(UPLOAD_MARK, ""));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException("S3 HEAD of " + at + " failed", e);
        } catch (SdkException e) {
            throw new IOException("S3 HEAD of " + at + " failed", e);
        }
    }

    /** This upload's mark, which the object carries in its user metadata. */
    String mark() {
        return uploadMark.get(UPLOAD_MARK);
    }

    @Override
    public boolean single(byte[] bytes, int length) throws IOException {
        return conditional(() -> s3.putObject(
                b -> b.bucket(at.container()).key(at.key()).metadata(uploadMark).ifNoneMatch(ifAbsent ? "*" : null),
                RequestBody.fromBytes(Arrays.copyOf(bytes, length))));
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
                            RequestBody.fromInputStream(new ByteArrayInputStream(bytes, 0, length), length))
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
            s3.abortMultipartUpload(b -> b.bucket(at.container()).key(at.key()).uploadId(uploadId));
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
                    Optional<String> there = markOf(s3, at);
                    if (there.isPresent()) {
                        return mark().equals(there.get());
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

    private static void pause(int attempt) throws IOException {
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while retrying a conditional write");
        }
    }
}
