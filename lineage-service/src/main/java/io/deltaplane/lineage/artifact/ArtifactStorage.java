package io.deltaplane.lineage.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Where artifact bytes live: a local directory by default; object storage fits behind the same calls. */
public interface ArtifactStorage {

    /**
     * Streams {@code body} aside (never into memory), hashing as it goes. Nothing is visible at
     * {@code path} until the result is {@link Staged#publish() published}; closing an unpublished
     * upload discards it.
     */
    Staged stage(ArtifactPath path, InputStream body) throws IOException;

    /** The object's bytes as a stream the caller closes, or empty if there is none. */
    Optional<Blob> open(ArtifactPath path) throws IOException;

    /** A complete upload waiting to replace whatever is at its path. */
    interface Staged extends AutoCloseable {
        long size();

        String sha256();

        void publish() throws IOException;

        @Override
        void close() throws IOException;
    }

    record Blob(InputStream stream, long size) {}
}
