package io.deltaplane.metadata.maintenance;

import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.internal.util.SchemaUtils;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.metadata.maintenance.CompactionPlan.Bin;
import io.deltaplane.metadata.publish.DeltaKernelEngines;
import io.deltaplane.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites a bin's files as new Parquet files of the target size next to them, with Delta Kernel's
 * default Parquet reader and writer over the platform's {@link Storage} (local disk, S3 or Azure
 * alike): the rows stream through in batches, the new files get Delta statistics on the first 32
 * columns (Delta's default for data skipping) and appear only when complete (put-if-absent).
 * Partition values stay in the add actions, as in the files rewritten.
 */
final class BinRewriter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BinRewriter.class);

    /** Kernel's Parquet writer starts a new file past this many bytes. */
    static final String TARGET_MAX_FILE_SIZE = "delta.kernel.default.parquet.writer.targetMaxFileSize";

    /** Delta's {@code delta.dataSkippingNumIndexedCols} default. */
    private static final int STATS_COLUMNS = 32;

    /** A file written: its path relative to the table (as an add names it), where it is, its partition. */
    record Written(String path, String objectPath, Map<String, String> partitionValues, long size, String stats) {}

    private final Storage storage;
    private final Engine engine;
    private final StructType dataSchema;
    private final List<Column> statsColumns;

    /**
     * For one plan: {@code schemaString} is the table's schema, whose partition columns are not in
     * the files.
     */
    BinRewriter(Storage storage, String schemaString, List<String> partitionColumns, long targetFileSize) {
        this.storage = storage;
        this.engine = DeltaKernelEngines.over(storage, Map.of(TARGET_MAX_FILE_SIZE, Long.toString(targetFileSize)));
        StructType schema = DataTypeJsonSerDe.deserializeStructType(schemaString);
        StructType data = new StructType();
        for (StructField field : schema.fields()) {
            if (!partitionColumns.contains(field.getName())) {
                data = data.add(field);
            }
        }
        this.dataSchema = data;
        this.statsColumns = SchemaUtils.collectLeafColumns(data, Set.of(), STATS_COLUMNS);
    }

    /**
     * Writes the bin's rows into new files in its partition's directory. Whatever was written is
     * added to {@code written} as it completes, so a caller can take it back on failure.
     */
    void rewrite(String location, Bin bin, List<Written> written) throws IOException {
        String prefix = bin.directory().isEmpty()
                ? location
                : storage.resolve(location, decoded(bin.directory()).replaceAll("/$", ""));
        List<FileStatus> inputs = new ArrayList<>();
        for (var file : bin.files()) {
            inputs.add(FileStatus.of(file.objectPath(), file.size(), 0));
        }
        try (CloseableIterator<FileReadResult> rows = engine.getParquetHandler()
                        .readParquetFiles(Utils.toCloseableIterator(inputs.iterator()), dataSchema, Optional.empty());
                CloseableIterator<DataFileStatus> files = engine.getParquetHandler()
                        .writeParquetFiles(
                                prefix,
                                rows.map(r -> new FilteredColumnarBatch(r.getData(), Optional.empty())),
                                statsColumns)) {
            while (files.hasNext()) {
                DataFileStatus file = files.next();
                String name = file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
                written.add(new Written(
                        bin.directory() + name,
                        file.getPath(),
                        bin.partitionValues(),
                        file.getSize(),
                        file.getStatistics()
                                .map(s -> s.serializeAsJson(dataSchema))
                                .orElse(null)));
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Takes back files no commit references (after a failed or stale attempt). */
    void delete(List<Written> written) {
        for (Written file : written) {
            try {
                storage.delete(file.objectPath());
            } catch (IOException | RuntimeException e) {
                log.warn("Could not delete {}, which no version references", file.objectPath(), e);
            }
        }
    }

    private static String decoded(String directory) {
        try {
            return new java.net.URI(directory).getPath();
        } catch (java.net.URISyntaxException e) {
            return directory;
        }
    }
}
