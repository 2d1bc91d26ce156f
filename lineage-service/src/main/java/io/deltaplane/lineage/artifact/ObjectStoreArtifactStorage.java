package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Artifacts as objects under one object store prefix: {@code <uri>/<bucket>/<key>}, written and
 * read through the platform's storage layer (S3, Azure Blob / ADLS Gen2). An upload is staged in a
 * local temporary file (hashed as it arrives, never held in memory) and published with one atomic
 * put that streams it in parts, so readers see the old object or the new one, never half of one.
 * The put is tagged ({@link Storage#putTagged}: the upload's mark in the object's metadata), so
 * the service can tell afterwards whether the name still holds this upload or a later one.
 */
public class ObjectStoreArtifactStorage implements ArtifactStorage {

    private final Storage storage;
    private final String root;

    public ObjectStoreArtifactStorage(Storages storages, String uri) {
        this.root = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        this.storage = requireNonNull(storages, "storages").forLocation(root);
    }

    @Override
    public Staged stage(ArtifactPath path, InputStream body) throws IOException {
        String target = resolve(path);
        requireNoCollision(path, target);
        Path partial = Files.createTempFile("artifact-", ".partial");
        return new StagedUpload(partial, body) {
            @Override
            public Placed publish() throws IOException {
                Optional<String> tag = storage.putTagged(target, out -> Files.copy(partial, out));
                if (tag.isEmpty()) {
                    return () -> true; // a backend that cannot tell writes apart: the last row wins
                }
                return () -> storage.tag(target).equals(tag);
            }
        };
    }

    @Override
    public Optional<Blob> open(ArtifactPath path) throws IOException {
        String object = resolve(path);
        var size = storage.size(object);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        return storage.open(object).map(in -> new Blob(in, size.getAsLong()));
    }

    /**
     * The local store's rule, kept on every backend: {@code a} and {@code a/b} cannot both be
     * artifacts, so an upload that would need one to be a folder of the other is a 409.
     */
    private void requireNoCollision(ArtifactPath path, String target) throws IOException {
        if (!storage.list(target).isEmpty()) {
            throw conflict(path.bucket() + "/" + path.key() + " is a folder of other artifacts");
        }
        String bucketRoot = root + "/" + path.bucket();
        for (String parent = parentOf(target); parent.length() > bucketRoot.length(); parent = parentOf(parent)) {
            if (storage.exists(parent)) {
                throw conflict(
                        parent.substring(root.length() + 1) + " is an artifact, so it cannot hold " + path.key());
            }
        }
    }

    private static String parentOf(String object) {
        return object.substring(0, object.lastIndexOf('/'));
    }

    private static ApiException conflict(String detail) {
        return ApiException.conflict(ErrorCode.ARTIFACT_PATH_CONFLICT, "Artifact path conflict: " + detail + ".");
    }

    // ArtifactPath already forbids escaping names (no "..", no empty segments).
    private String resolve(ArtifactPath path) {
        return storage.resolve(storage.resolve(root, path.bucket()), path.key());
    }
}
