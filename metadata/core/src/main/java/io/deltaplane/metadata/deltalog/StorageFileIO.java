package io.deltaplane.metadata.deltalog;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.engine.fileio.InputFile;
import io.delta.kernel.defaults.engine.fileio.OutputFile;
import io.delta.kernel.defaults.engine.fileio.PositionOutputStream;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.storage.RangedInput;
import io.deltaplane.storage.StagedPut;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.storage.StoredFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Delta Kernel's file I/O ({@code delta-kernel-defaults}' {@link FileIO} seam) over Deltaplane's
 * {@link Storage}: a Kernel {@code DefaultEngine} built on it lists, reads (JSON commits and Parquet
 * checkpoints, with ranged reads) and writes a table's files on the local disk, S3 or Azure exactly
 * as the rest of the platform does, with no Hadoop FileSystem and no second set of credentials.
 *
 * <p>Writes never replace a file (put-if-absent: a lost race is {@link FileAlreadyExistsException},
 * which Kernel turns into a commit conflict) except where Kernel asks for an overwrite
 * ({@code _last_checkpoint}). Deletes are refused: a published {@code _delta_log} is append-only,
 * whatever log retention the table's properties ask Kernel's checkpointer for.
 */
public final class StorageFileIO implements FileIO {

    private final Storage storage;
    private final Map<String, String> conf;

    public StorageFileIO(Storage storage) {
        this(storage, Map.of());
    }

    /** With Kernel settings (e.g. the Parquet writer's target file size); the rest are Kernel's defaults. */
    public StorageFileIO(Storage storage, Map<String, String> conf) {
        this.storage = requireNonNull(storage, "storage");
        this.conf = Map.copyOf(conf);
    }

    /**
     * The files in {@code filePath}'s directory whose names sort at or after its name, by name.
     * Object stores have no empty directories, so a directory without files is "not found", which
     * Kernel reads as "no table here".
     */
    @Override
    public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
        int slash = filePath.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("Not a path in a directory: " + filePath);
        }
        String directory = filePath.substring(0, slash);
        String from = filePath.substring(slash + 1);
        List<StoredFile> files = storage.files(directory);
        if (files.isEmpty()) {
            throw new FileNotFoundException("No files in " + directory);
        }
        List<FileStatus> statuses = files.stream()
                .filter(f -> f.name().compareTo(from) >= 0)
                .map(f -> FileStatus.of(directory + "/" + f.name(), f.size(), f.modifiedMillis()))
                .toList();
        return Utils.toCloseableIterator(statuses.iterator());
    }

    @Override
    public FileStatus getFileStatus(String path) throws IOException {
        StoredFile file = storage.stat(path).orElseThrow(() -> new FileNotFoundException(path));
        return FileStatus.of(path, file.size(), file.modifiedMillis());
    }

    /**
     * Local paths become {@code file:/abs/dir} (the form table locations are stored in); object
     * store URIs are already fully qualified.
     */
    @Override
    public String resolvePath(String path) {
        return StoragePaths.isLocal(path) ? StoragePaths.toFileUri(path) : path;
    }

    /** Directories appear with their first file (on the local disk too: a put creates its parents). */
    @Override
    public boolean mkdirs(String path) {
        return true;
    }

    @Override
    public InputFile newInputFile(String path, long fileSize) {
        return new StorageInputFile(path, fileSize);
    }

    @Override
    public OutputFile newOutputFile(String path) {
        return new StorageOutputFile(path);
    }

    @Override
    public boolean delete(String path) throws IOException {
        throw new IOException("Deltaplane never deletes published log files (refused: " + path + ")");
    }

    /** The settings this was made with; Kernel's defaults (batch sizes, Parquet writer settings) for the rest. */
    @Override
    public Optional<String> getConf(String confKey) {
        return Optional.ofNullable(conf.get(confKey));
    }

    @Override
    public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
        try (InputStream in = storage.open(srcPath).orElseThrow(() -> new FileNotFoundException(srcPath))) {
            write(destPath, overwrite, out -> in.transferTo(out));
        }
    }

    private void write(String path, boolean overwrite, Storage.Content content) throws IOException {
        if (overwrite) {
            storage.put(path, content);
        } else if (!storage.putIfAbsent(path, content)) {
            throw new FileAlreadyExistsException(path);
        }
    }

    private final class StorageInputFile implements InputFile {
        private final String path;
        private long length;

        StorageInputFile(String path, long length) {
            this.path = path;
            this.length = length;
        }

        @Override
        public long length() throws IOException {
            if (length < 0) { // Kernel passes -1 when it does not know
                length = storage.size(path).orElseThrow(() -> new FileNotFoundException(path));
            }
            return length;
        }

        @Override
        public String path() {
            return path;
        }

        /**
         * With a size from a listing the first read opens the stream, wherever a seek put it (Parquet
         * starts at the footer). Without one, the file is opened now, so a missing file is a {@link
         * FileNotFoundException} where Kernel expects one (a table without {@code _last_checkpoint},
         * which Kernel asks for with size 0).
         */
        @Override
        public SeekableInputStream newStream() throws IOException {
            InputStream first =
                    length > 0 ? null : storage.open(path).orElseThrow(() -> new FileNotFoundException(path));
            return new StorageSeekableInputStream(new RangedInput(storage, path, first));
        }
    }

    /** Kernel's seekable stream over {@link RangedInput}, the ranged reads every format's reader shares. */
    private static final class StorageSeekableInputStream extends SeekableInputStream {
        private final RangedInput in;

        StorageSeekableInputStream(RangedInput in) {
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
        public void readFully(byte[] buffer, int offset, int length) throws IOException {
            in.readFully(buffer, offset, length);
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

    /**
     * A file Kernel writes as a stream (Parquet checkpoints and data files): staged in a local
     * temporary file and put-if-absent on close, so nothing is visible under the path until it is
     * complete, and a second writer of the same name loses instead of replacing it.
     */
    private final class StorageOutputFile implements OutputFile {
        private final String path;

        StorageOutputFile(String path) {
            this.path = path;
        }

        @Override
        public String path() {
            return path;
        }

        /**
         * Atomic or not, the file is put whole and never replaces another: Kernel only writes fresh
         * names (checkpoints of a version, data files with random names).
         */
        @Override
        public PositionOutputStream create(boolean atomicWrite) throws IOException {
            StagedPut out = new StagedPut(storage, path);
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return out.getPos();
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }

        /** One line per element ({@code _delta_log} JSON); put-if-absent unless {@code overwrite}. */
        @Override
        public void writeAtomically(CloseableIterator<String> data, boolean overwrite) throws IOException {
            try (data) {
                write(path, overwrite, out -> {
                    while (data.hasNext()) {
                        out.write(data.next().getBytes(StandardCharsets.UTF_8));
                        out.write('\n');
                    }
                });
            }
        }
    }
}
