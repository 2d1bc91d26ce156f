package io.deltaplane.metadata.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PartitionUtil;

/**
 * What Iceberg's client plans for a snapshot, file by file: each data file's rows (read as {@code
 * IcebergReader.rows} reads them: the name mapping, identity partition values as constants, the
 * task's deletes applied), and the files a scan with a filter plans — what Iceberg's metrics and
 * partition values let it skip.
 */
final class IcebergScans {

    /** Plans on the calling thread: a few small manifests cost less than handing them to a pool. */
    private static final java.util.concurrent.ExecutorService SAME_THREAD =
            org.apache.iceberg.relocated.com.google.common.util.concurrent.MoreExecutors.newDirectExecutorService();

    private IcebergScans() {}

    /** Each data file the snapshot plans, with its rows as {@code render} makes them. */
    static Map<String, List<String>> rowsByFile(Table table, long snapshotId, Function<Record, String> render) {
        Schema schema = table.schemas().get(table.snapshot(snapshotId).schemaId());
        NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        Map<String, List<String>> files = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(snapshotId).planFiles()) {
            for (FileScanTask task : tasks) {
                Map<Integer, ?> constants =
                        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
                GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
                Schema read = deletes.requiredSchema();
                List<String> rows = new ArrayList<>();
                try (CloseableIterable<Record> records = deletes.filter(
                        Parquet.read(table.io().newInputFile(task.file().location()))
                                .project(read)
                                .withNameMapping(mapping)
                                .createReaderFunc(file -> GenericParquetReaders.buildReader(read, file, constants))
                                .build())) {
                    for (Record record : records) {
                        rows.add(render.apply(record));
                    }
                }
                if (files.put(task.file().location(), rows) != null) {
                    throw new AssertionError("data file planned twice in snapshot " + snapshotId + ": "
                            + task.file().location());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The data files a scan of the snapshot with {@code filter} plans. */
    static Set<String> planned(Table table, long snapshotId, Expression filter) {
        Set<String> planned = new HashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan()
                .useSnapshot(snapshotId)
                .filter(filter)
                .planWith(SAME_THREAD)
                .planFiles()) {
            tasks.forEach(task -> planned.add(task.file().location()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return planned;
    }
}
