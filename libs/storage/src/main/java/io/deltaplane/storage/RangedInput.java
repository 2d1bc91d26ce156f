package io.deltaplane.storage;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A seekable read of one object for the file formats' readers (Parquet's, Avro's): reads go
 * sequentially through one stream; a seek backwards or far forwards closes it and the next read opens
 * a ranged one at the new position ({@link Storage#open(String, long)}), so a reader that starts at
 * a footer and then reads the chunks it needs fetches only those. What Delta Kernel's and Iceberg's
 * seekable streams over the platform's storage both are.
 */
public final class RangedInput extends InputStream {

    /** Forward seeks up to this far read through the bytes instead of starting a new ranged read. */
    public static final int SKIP_WITHIN = 128 * 1024;

    private final Storage storage;
    private final String path;
    private InputStream in;
    private long position;

    /** {@code first}: the object's stream at position 0, or null to open one on the first read. */
    public RangedInput(Storage storage, String path, InputStream first) {
        this.storage = storage;
        this.path = path;
        this.in = first;
    }

    private InputStream stream() throws IOException {
        if (in == null) {
            in = storage.open(path, position).orElseThrow(() -> new FileNotFoundException(path));
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        int b = stream().read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = stream().read(buffer, offset, length);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    /** Reads exactly {@code length} bytes, or fails naming where the object ended. */
    public void readFully(byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = read(buffer, offset + done, length - done);
            if (n < 0) {
                throw new EOFException(
                        path + " ended at " + position + " with " + (length - done) + " bytes still to read");
            }
            done += n;
        }
    }

    public long getPos() {
        return position;
    }

    public void seek(long target) throws IOException {
        if (target < 0) {
            throw new IOException("Cannot seek to " + target + " in " + path);
        }
        long ahead = target - position;
        if (ahead == 0) {
            return;
        }
        if (in != null && ahead > 0 && ahead <= SKIP_WITHIN) {
            long skipped = in.skip(ahead);
            position += skipped;
            if (position == target) {
                return;
            }
        }
        closeStream();
        position = target;
    }

    private void closeStream() throws IOException {
        if (in != null) {
            InputStream old = in;
            in = null;
            old.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeStream();
    }
}
