package io.deltaplane.metadata.publish;

import io.delta.kernel.Snapshot;
import io.delta.kernel.SnapshotBuilder;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/** Delta Kernel as an external reader sees a table: the reference every publish test compares with. */
public final class KernelReader {

    /**
     * Kernel's own Hadoop-based engine on the local file system, not the platform's storage layer:
     * an independent reader (without Hadoop's {@code .crc} side files).
     */
    public static final Engine ENGINE = hadoopLocal();

    private static Engine hadoopLocal() {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");
        conf.setBoolean("fs.file.impl.disable.cache", true);
        return DefaultEngine.create(conf);
    }

    private KernelReader() {}

    /** What a reader gets at {@code version} (latest when null). */
    public record View(long version, String schemaJson, List<String> partitionColumns, Set<String> livePaths) {}

    public static View read(String location, Long version) {
        return read(location, version, ENGINE);
    }

    /** As {@link #read(String, Long)}, through {@code engine} (e.g. Kernel over an object store). */
    public static View read(String location, Long version, Engine engine) {
        SnapshotBuilder builder = TableManager.loadSnapshot(location);
        if (version != null) {
            builder = builder.atVersion(version);
        }
        Snapshot snapshot = builder.build(engine);
        return new View(
                snapshot.getVersion(),
                snapshot.getSchema().toJson(),
                snapshot.getPartitionColumnNames(),
                livePaths(snapshot, location, engine));
    }

    /** Paths of the live files, relative to the table root as they are in add actions. */
    public static Set<String> livePaths(Snapshot snapshot, String location) {
        return livePaths(snapshot, location, ENGINE);
    }

    static Set<String> livePaths(Snapshot snapshot, String location, Engine engine) {
        String root = location.endsWith("/") ? location : location + "/";
        Set<String> paths = new HashSet<>();
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        Row add = row.getStruct(row.getSchema().indexOf("add"));
                        String path = add.getString(add.getSchema().indexOf("path"));
                        paths.add(path.startsWith(root) ? path.substring(root.length()) : path);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }
}
