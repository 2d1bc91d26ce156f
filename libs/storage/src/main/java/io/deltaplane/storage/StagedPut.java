package io.deltaplane.storage;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file a format's writer writes as a stream (Parquet checkpoints, Iceberg manifests): staged in a
 * local temporary file and put at its path only if nothing is there when the stream closes
 * ({@link Storage#putFileIfAbsent}), so nothing is visible under the path until it is complete, and
 * a second writer of the same name loses ({@link FileAlreadyExistsException}) instead of replacing it.
 */
public final class StagedPut extends OutputStream {

    private final Storage storage;
    private final String path;
    private final Path staged;
    private final OutputStream out;
    private long position;
    private boolean closed;

    public StagedPut(Storage storage, String path) throws IOException {
        this.storage = storage;
        this.path = path;
        this.staged = Files.createTempFile("deltaplane-put-", ".tmp");
        try {
            this.out = new BufferedOutputStream(Files.newOutputStream(staged));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(staged);
            throw e;
        }
    }

    /** Bytes written so far. */
    public long getPos() {
        return position;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
            if (!storage.putFileIfAbsent(path, staged)) {
                throw new FileAlreadyExistsException(path);
            }
        } finally {
            Files.deleteIfExists(staged);
        }
    }
}
