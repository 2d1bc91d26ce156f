package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.UUID;

/** Artifacts as files under one root directory: {@code <root>/<bucket>/<key>}. */
public class LocalArtifactStorage implements ArtifactStorage {

    private static final String PARTIAL_SUFFIX = ".partial";

    private final Path root;

    public LocalArtifactStorage(ArtifactProperties properties) {
        requireNonNull(properties, "properties");
        try {
            this.root = Files.createDirectories(properties.dir()).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "deltaplane.artifacts.dir '" + properties.dir() + "' cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(root)) {
            throw new IllegalStateException("deltaplane.artifacts.dir '" + root + "' is not writable");
        }
    }

    @Override
    public Staged stage(ArtifactPath path, InputStream body) throws IOException {
        Path target = resolve(path);
        requireNoCollision(path, target);
        Files.createDirectories(target.getParent());
        // Written beside the target and renamed into place: readers never see half a file.
        Path partial = target.resolveSibling("." + UUID.randomUUID() + PARTIAL_SUFFIX);
        return new StagedUpload(partial, body) {
            @Override
            public Placed publish() throws IOException {
                // The file's identity from before the rename, which keeps it: read after, it could
                // already be a later upload's file.
                String placed = identity(partial);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return () -> {
                    try {
                        return identity(target).equals(placed);
                    } catch (NoSuchFileException gone) {
                        return false;
                    }
                };
            }
        };
    }

    /** Device and inode, modification time and size: what tells one upload's file from a later one's. */
    private static String identity(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.fileKey() + "@" + attributes.lastModifiedTime().toInstant() + "#" + attributes.size();
    }

    @Override
    public Optional<Blob> open(ArtifactPath path) throws IOException {
        Path file = resolve(path);
        if (Files.isDirectory(file)) {
            return Optional.empty(); // a folder of other artifacts is not an artifact
        }
        try {
            long size = Files.size(file);
            return Optional.of(new Blob(Files.newInputStream(file), size));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code a} and {@code a/b} cannot both be artifacts on a file system (nor, to keep one contract
     * on every backend, anywhere): an upload that needs an existing artifact to be a folder, or an
     * existing folder to be an artifact, is a 409 and writes nothing.
     */
    private void requireNoCollision(ArtifactPath path, Path target) {
        if (Files.isDirectory(target)) {
            throw conflict(path.bucket() + "/" + path.key() + " is a folder of other artifacts");
        }
        for (Path parent = target.getParent();
                parent != null && parent.startsWith(root) && !parent.equals(root);
                parent = parent.getParent()) {
            if (Files.exists(parent) && !Files.isDirectory(parent)) {
                throw conflict(root.relativize(parent) + " is an artifact, so it cannot hold " + path.key());
            }
        }
    }

    private static ApiException conflict(String detail) {
        return ApiException.conflict(ErrorCode.ARTIFACT_PATH_CONFLICT, "Artifact path conflict: " + detail + ".");
    }

    // ArtifactPath already forbids escaping names; this re-checks on the resolved path all the same.
    private Path resolve(ArtifactPath path) {
        Path resolved = root.resolve(path.bucket()).resolve(path.key()).normalize();
        if (!resolved.startsWith(root.resolve(path.bucket())) || resolved.equals(root.resolve(path.bucket()))) {
            throw ArtifactPath.invalid("it leaves the storage root");
        }
        return resolved;
    }
}
