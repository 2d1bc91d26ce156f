package io.deltaplane.lineage.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Where artifact bytes live: a local directory by default; object storage fits behind the same calls. */
public interface ArtifactStorage {

    /**
     * Streams {@code body} aside (never into memory), hashing as it goes. Nothing is visible at
     * {@code path} until the result is {@link Staged#publish() published}; closing the staged
     * upload discards what is left of it.
     */
    Staged stage(ArtifactPath path, InputStream body) throws IOException;

    /** The object's bytes as a stream the caller closes, or empty if there is none. */
    Optional<Blob> open(ArtifactPath path) throws IOException;

    /** A complete upload waiting to replace whatever is at its path. */
    interface Staged extends AutoCloseable {
        long size();

        String sha256();

        /**
         * Puts the bytes under the artifact's name, replacing what is there atomically: readers see
         * the previous artifact whole until the new one is whole. Slow for a large artifact on an
         * object store (the bytes go up in parts), so it is called with no transaction open.
         *
         * @return what tells, later, whether the name still holds these bytes
         */
        Placed publish() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A published upload, until a later one replaces it. */
    @FunctionalInterface
    interface Placed {
        /**
         * True while the artifact's name holds this upload's bytes; false once another upload
         * replaced them (or they are gone). Asked under the URI's lock, before the row is written.
         */
        boolean stillThere() throws IOException;
    }

    record Blob(InputStream stream, long size) {}
}
