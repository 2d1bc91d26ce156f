package io.deltaplane.lineage.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An upload streamed into a local file, hashed as it arrives (never held in memory); each backend
 * says how it is published. Closing it deletes the file, whether or not it was published.
 */
abstract class StagedUpload implements ArtifactStorage.Staged {

    private static final int BUFFER = 64 * 1024;

    final Path partial;
    private final long size;
    private final String sha256;

    /** Writes {@code body} to {@code partial}; the file is gone again if that fails. */
    StagedUpload(Path partial, InputStream body) throws IOException {
        this.partial = partial;
        MessageDigest digest = newDigest();
        long written = 0;
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(partial)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                written += n;
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(partial);
            }
        }
        this.size = written;
        this.sha256 = HexFormat.of().formatHex(digest.digest());
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
    public void close() throws IOException {
        Files.deleteIfExists(partial); // nothing left once published
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
