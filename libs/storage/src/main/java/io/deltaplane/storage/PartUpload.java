package io.deltaplane.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The stream an object store's {@link Storage.Content} writes into: bytes are held one part at a
 * time (never the whole object). An object that fits in one part is sent with one request; a
 * larger one goes part by part (S3 multipart, Azure staged blocks) and becomes visible only when
 * {@link Sink#complete} commits it, with the store's conditional header where asked.
 */
final class PartUpload extends OutputStream {

    /** What an object store does with the parts. */
    interface Sink {
        /** The whole object in one request; returns false if a condition failed (object exists). */
        boolean single(byte[] bytes, int length) throws IOException;

        /** Sends part {@code number} (1-based) of a multi-part object. */
        void part(int number, byte[] bytes, int length) throws IOException;

        /** Commits the parts sent so far; returns false if a condition failed (object exists). */
        boolean complete(int parts) throws IOException;

        /** Drops the parts sent so far (a failed write or a lost race). */
        void abort();
    }

    private final Sink sink;
    private final byte[] buffer;
    private int length;
    private int parts;
    private boolean finished;

    PartUpload(Sink sink, int partSize) {
        this.sink = sink;
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        if (length == buffer.length) {
            flushPart();
        }
        buffer[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (length == buffer.length) {
                flushPart();
            }
            int n = Math.min(len, buffer.length - length);
            System.arraycopy(b, off, buffer, length, n);
            length += n;
            off += n;
            len -= n;
        }
    }

    private void flushPart() throws IOException {
        sink.part(++parts, buffer, length);
        length = 0;
    }

    /** Writes what {@code content} produces and commits it; false if the condition failed. */
    static boolean upload(Storage.Content content, Sink sink, int partSize) throws IOException {
        PartUpload out = new PartUpload(sink, partSize);
        try {
            content.writeTo(out);
            return out.finish();
        } catch (IOException | RuntimeException | Error e) {
            out.abortQuietly();
            throw e;
        }
    }

    private boolean finish() throws IOException {
        finished = true;
        if (parts == 0) {
            return sink.single(buffer, length);
        }
        if (length > 0) {
            flushPart();
        }
        boolean created = sink.complete(parts);
        if (!created) {
            sink.abort();
        }
        return created;
    }

    private void abortQuietly() {
        if (parts > 0) {
            try {
                sink.abort();
            } catch (RuntimeException e) {
                // The write already failed; the store expires abandoned parts on its own.
            }
        }
        Arrays.fill(buffer, (byte) 0);
    }

    boolean finished() {
        return finished;
    }
}
