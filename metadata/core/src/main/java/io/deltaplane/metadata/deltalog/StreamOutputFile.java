package io.deltaplane.metadata.deltalog;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over the stream a {@link io.deltaplane.storage.Storage}
 * hands out, so Parquet is written through the same storage layer as every other {@code
 * _delta_log} file (no Hadoop FileSystem). Closing it only flushes: the storage owns the stream
 * and makes the object visible once the content is complete.
 */
final class StreamOutputFile implements OutputFile {

    private final OutputStream out;
    private final String name;
    private long position;

    StreamOutputFile(OutputStream out, String name) {
        this.out = out;
        this.name = name;
    }

    /** Bytes written so far. */
    long size() {
        return position;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        return stream();
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return stream();
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return name;
    }

    private PositionOutputStream stream() {
        return new PositionOutputStream() {
            @Override
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
                out.flush();
            }
        };
    }
}
