package io.deltaplane.metadata.publish;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.ExpressionHandler;
import io.delta.kernel.engine.FileReadRequest;
import io.delta.kernel.engine.FileSystemClient;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.engine.MetricsReporter;
import io.delta.kernel.engine.ParquetHandler;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/** Delta Kernel engines as Deltaplane uses them. */
public final class DeltaKernelEngines {

    private DeltaKernelEngines() {}

    /** The default engine on the local file system without Hadoop's {@code .crc} side files. */
    public static Engine local() {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return DefaultEngine.create(conf);
    }

    /**
     * An engine that cannot delete files: Kernel's checkpointer may clean up "expired" log files
     * after a checkpoint; here the published log is append-only, whatever the table properties say.
     */
    public static Engine neverDeleting(Engine engine) {
        return new NeverDeletingEngine(engine);
    }

    private record NeverDeletingEngine(Engine delegate) implements Engine {
        @Override
        public ExpressionHandler getExpressionHandler() {
            return delegate.getExpressionHandler();
        }

        @Override
        public JsonHandler getJsonHandler() {
            return delegate.getJsonHandler();
        }

        @Override
        public FileSystemClient getFileSystemClient() {
            return new NeverDeletingFileSystem(delegate.getFileSystemClient());
        }

        @Override
        public ParquetHandler getParquetHandler() {
            return delegate.getParquetHandler();
        }

        @Override
        public List<MetricsReporter> getMetricsReporters() {
            return delegate.getMetricsReporters();
        }
    }

    private record NeverDeletingFileSystem(FileSystemClient delegate) implements FileSystemClient {
        @Override
        public CloseableIterator<FileStatus> listFrom(String filePath) throws IOException {
            return delegate.listFrom(filePath);
        }

        @Override
        public String resolvePath(String path) throws IOException {
            return delegate.resolvePath(path);
        }

        @Override
        public CloseableIterator<ByteArrayInputStream> readFiles(CloseableIterator<FileReadRequest> readRequests)
                throws IOException {
            return delegate.readFiles(readRequests);
        }

        @Override
        public boolean mkdirs(String path) throws IOException {
            return delegate.mkdirs(path);
        }

        @Override
        public boolean delete(String path) throws IOException {
            throw new IOException("Deltaplane never deletes published log files (refused: " + path + ")");
        }

        @Override
        public FileStatus getFileStatus(String path) throws IOException {
            return delegate.getFileStatus(path);
        }

        @Override
        public void copyFileAtomically(String srcPath, String destPath, boolean overwrite) throws IOException {
            delegate.copyFileAtomically(srcPath, destPath, overwrite);
        }
    }
}
