package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import io.deltaplane.storage.RangedInput;
import io.deltaplane.storage.StagedPut;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.io.SupportsBulkOperations;

/**
 * Iceberg's {@link FileIO} over the platform's one storage layer, so the Iceberg metadata the
 * catalog makes (metadata JSON, manifest lists, manifests) is written and read where and how the
 * {@code _delta_log} is: local disk, S3 or Azure, with the same credentials. Every file Iceberg
 * writes has a unique name, so a write never replaces one: it is buffered in a local temporary file
 * and put only if absent when the stream closes (object stores take whole objects).
 */
final class IcebergStorageIO implements FileIO, SupportsBulkOperations {

    private final transient Storages storages;

    IcebergStorageIO(Storages storages) {
        this.storages = requireNonNull(storages, "storages");
    }

    private Storage storage(String location) {
        return storages.forLocation(location);
    }

    @Override
    public InputFile newInputFile(String location) {
        return new StorageInput(location, -1);
    }

    @Override
    public InputFile newInputFile(String location, long length) {
        return new StorageInput(location, length);
    }

    @Override
    public OutputFile newOutputFile(String location) {
        return new StorageOutput(location);
    }

    @Override
    public void deleteFile(String location) {
        try {
            storage(location).delete(location);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Iceberg deletes the metadata files it let go of through this, one after the other: through a
     * plain {@link FileIO} it would hand them to its shared worker pool and poll every 10 ms for the
     * result, the time of a whole conversion.
     */
    @Override
    public void deleteFiles(Iterable<String> locations) throws BulkDeletionFailureException {
        int failed = 0;
        for (String location : locations) {
            try {
                storage(location).delete(location);
            } catch (IOException | RuntimeException e) {
                failed++;
            }
        }
        if (failed > 0) {
            throw new BulkDeletionFailureException(failed);
        }
    }

    private final class StorageInput implements InputFile {
        private final String location;
        private long length;

        StorageInput(String location, long length) {
            this.location = location;
            this.length = length;
        }

        @Override
        public long getLength() {
            if (length < 0) {
                try {
                    OptionalLong size = storage(location).size(location);
                    length = size.orElseThrow(() -> new NotFoundException("File does not exist: %s", location));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return length;
        }

        @Override
        public SeekableInputStream newStream() {
            return new RangedStream(new RangedInput(storage(location), location, null));
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public boolean exists() {
            try {
                return storage(location).exists(location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Iceberg's seekable stream over {@link RangedInput}, the ranged reads every format's reader shares. */
    private static final class RangedStream extends SeekableInputStream {
        private final RangedInput in;

        RangedStream(RangedInput in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return in.read(buffer, offset, length);
        }

        @Override
        public long getPos() {
            return in.getPos();
        }

        @Override
        public void seek(long target) throws IOException {
            in.seek(target);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private final class StorageOutput implements OutputFile {
        private final String location;

        StorageOutput(String location) {
            this.location = location;
        }

        @Override
        public PositionOutputStream create() {
            return new BufferedPut(storage(location), location);
        }

        /** Iceberg asks this for metadata files, whose names are unique: still never an overwrite. */
        @Override
        public PositionOutputStream createOrOverwrite() {
            return new BufferedPut(storage(location), location);
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public InputFile toInputFile() {
            return new StorageInput(location, -1);
        }
    }

    /** Iceberg's output stream over {@link StagedPut}: nothing is visible until the whole file is put. */
    private static final class BufferedPut extends PositionOutputStream {
        private final StagedPut out;
        private final String location;

        BufferedPut(Storage storage, String location) {
            this.location = location;
            try {
                this.out = new StagedPut(storage, location);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long getPos() {
            return out.getPos();
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new AlreadyExistsException("Iceberg file already exists: %s", location);
            }
        }
    }
}
