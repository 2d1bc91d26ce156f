package io.deltaplane.storage;

import static io.deltaplane.storage.AzureFailures.conditionFailed;
import static io.deltaplane.storage.AzureFailures.transportFailure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One blob's upload: a single Put Blob, or staged blocks committed as one block list, conditional
 * ({@code If-None-Match: *}) when it must not replace a blob; the committed blob carries the
 * upload's mark in its metadata.
 */
final class AzureBlobUpload implements PartUpload.Sink {

    /**
     * Blob metadata naming the upload that created a blob (Azure metadata names are C# identifiers,
     * hence the underscore; S3's mark is {@code deltaplane-upload}).
     */
    static final String UPLOAD_MARK = "deltaplane_upload";

    private static final BlobRequestConditions IF_ABSENT = new BlobRequestConditions().setIfNoneMatch("*");

    private final BlockBlobClient blob;
    private final boolean ifAbsent;
    private final List<String> blockIds = new ArrayList<>();
    // Block ids are unique per upload so two racing writers never mix each other's blocks; the
    // same id marks the committed blob as this upload's.
    private final String uploadTag = newUploadMark();

    AzureBlobUpload(BlockBlobClient blob, boolean ifAbsent) {
        this.blob = blob;
        this.ifAbsent = ifAbsent;
    }

    /**
     * A small object (at most one block) in one conditional Put Blob, without the existence check
     * first (the publisher's hot path: one request per {@code _delta_log} file instead of three).
     * When the condition fails but no blob is committed — blocks a failed writer staged earlier make
     * Put Blob's If-None-Match fail (seen on Azurite) — the staged path below decides instead.
     */
    static boolean putSmallIfAbsent(BlockBlobClient blob, String path, byte[] content, int blockSize)
            throws IOException {
        String upload = newUploadMark();
        try {
            blob.uploadWithResponse(
                    new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                            .setMetadata(Map.of(UPLOAD_MARK, upload))
                            .setRequestConditions(IF_ABSENT),
                    null,
                    null);
            return true;
        } catch (BlobStorageException e) {
            if (!conditionFailed(e)) {
                throw new IOException("Writing " + path + " failed", e);
            }
        } catch (RuntimeException e) {
            throw transportFailure("Writing " + path + " failed", e);
        }
        Optional<String> there = markOf(blob);
        if (there.isPresent()) {
            // A retry of a Put Blob the service had applied meets our own blob (see #conditional).
            return there.get().equals(upload);
        }
        return PartUpload.upload(out -> out.write(content), new AzureBlobUpload(blob, true), blockSize);
    }

    /**
     * The upload mark of the committed blob (empty string if it has none: written by another tool),
     * or empty when there is no committed blob.
     */
    static Optional<String> markOf(BlockBlobClient blob) throws IOException {
        try {
            Map<String, String> metadata = blob.getProperties().getMetadata();
            return Optional.of(metadata == null ? "" : metadata.getOrDefault(UPLOAD_MARK, ""));
        } catch (BlobStorageException e) {
            if (AzureFailures.notFound(e)) {
                return Optional.empty();
            }
            throw new IOException("Reading the properties of " + blob.getBlobUrl() + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Reading the properties of " + blob.getBlobUrl() + " failed", e);
        }
    }

    private static String newUploadMark() {
        return UUID.randomUUID().toString();
    }

    /** This upload's mark, which the committed blob carries in its metadata. */
    String mark() {
        return uploadTag;
    }

    @Override
    public boolean single(byte[] bytes, int length) throws IOException {
        if (ifAbsent) {
            // One staged block and a conditional commit, not a conditional Put Blob: blocks a
            // failed writer staged earlier make Put Blob's If-None-Match fail (seen on Azurite)
            // although no blob was ever committed; Put Block List judges the committed blob only.
            part(1, bytes, length);
            return complete(1);
        }
        return conditional(() -> blob.uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(Arrays.copyOf(bytes, length)))
                        .setMetadata(Map.of(UPLOAD_MARK, uploadTag)),
                null,
                null));
    }

    @Override
    public void part(int number, byte[] bytes, int length) throws IOException {
        String id = Base64.getEncoder()
                .encodeToString(String.format("%s-%08d", uploadTag, number).getBytes(StandardCharsets.UTF_8));
        try {
            blob.stageBlock(id, BinaryData.fromByteBuffer(ByteBuffer.wrap(Arrays.copyOf(bytes, length))));
        } catch (BlobStorageException e) {
            throw new IOException("Staging block " + number + " of " + blob.getBlobUrl() + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Staging block " + number + " of " + blob.getBlobUrl() + " failed", e);
        }
        blockIds.add(id);
    }

    @Override
    public boolean complete(int parts) throws IOException {
        BlockBlobCommitBlockListOptions options =
                new BlockBlobCommitBlockListOptions(blockIds).setMetadata(Map.of(UPLOAD_MARK, uploadTag));
        if (ifAbsent) {
            options.setRequestConditions(IF_ABSENT);
        }
        return conditional(() -> blob.commitBlockListWithResponse(options, null, null));
    }

    @Override
    public void abort() {
        // Uncommitted blocks are garbage-collected by the service after a week; nothing to do.
    }

    /**
     * Runs a conditional create. A refusal is "exists" only when the blob there is not this
     * upload's: the SDK retries a request whose answer it lost (a reset connection, a timeout,
     * a 500), and the retry of a commit the service had already applied meets our own blob,
     * which carries this upload's mark.
     */
    private boolean conditional(Runnable request) throws IOException {
        try {
            request.run();
            return true;
        } catch (BlobStorageException e) {
            if (ifAbsent && conditionFailed(e)) {
                return markOf(blob).map(uploadTag::equals).orElse(false);
            }
            throw new IOException("Writing " + blob.getBlobUrl() + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Writing " + blob.getBlobUrl() + " failed", e);
        }
    }
}
