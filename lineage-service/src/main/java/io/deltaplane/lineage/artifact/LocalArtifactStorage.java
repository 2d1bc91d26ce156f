package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Artifacts as files under one root directory: {@code <root>/<bucket>/<key>}. */
@Component
public class LocalArtifactStorage implements ArtifactStorage {

    private static final int BUFFER = 64 * 1024;
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
        MessageDigest sha256 = sha256();
        long size = 0;
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                size += n;
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(partial);
            }
        }
        return new LocalStaged(partial, target, size, HexFormat.of().formatHex(sha256.digest()));
    }

    private static final class LocalStaged implements Staged {
        private final Path partial;
        private final Path target;
        private final long size;
        private final String sha256;

        LocalStaged(Path partial, Path target, long size, String sha256) {
            this.partial = partial;
            this.target = target;
            this.size = size;
            this.sha256 = sha256;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public String sha256() {
            return sha256;
        }

        @Override
        public void publish() throws IOException {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(partial); // nothing left once published
        }
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
