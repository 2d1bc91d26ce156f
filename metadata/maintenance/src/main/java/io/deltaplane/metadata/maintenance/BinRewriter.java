package io.deltaplane.metadata.maintenance;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.defaults.internal.parquet.ParquetStatsReader;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.internal.util.SchemaUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.deltaplane.metadata.deltalog.StorageFileIO;
import io.deltaplane.metadata.maintenance.CompactionPlan.Bin;
import io.deltaplane.metadata.maintenance.CompactionPlan.DataFile;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.StoragePaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rewrites a bin's files as new Parquet files of the target size next to them, over the platform's
 * {@link Storage} (local disk, S3 or Azure alike): the bin's files are read where they are on the
 * local disk (fetched into a work directory from object storage), DuckDB rewrites them ({@link
 * ParquetRewrite}), the new files get Delta statistics on the first 32 columns (Delta's default for
 * data skipping, read from their Parquet footers by Delta Kernel's own reader of statistics) and
 * appear in the table only when complete (put-if-absent). Partition values stay in the add actions,
 * as in the files rewritten.
 */
final class BinRewriter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BinRewriter.class);

    /** Delta's {@code delta.dataSkippingNumIndexedCols} default. */
    private static final int STATS_COLUMNS = 32;

    /** Characters DuckDB reads as a glob in a file name: such inputs are linked under a plain name. */
    private static final String GLOB = "*?[{";

    /** The new files' footers, read from the work directory. */
    private static final FileIO LOCAL = new StorageFileIO(new LocalFileStorage());

    /** A file written: its path relative to the table (as an add names it), where it is, its partition. */
    record Written(String path, String objectPath, Map<String, String> partitionValues, long size, String stats) {}

    private final Storage storage;
    private final ParquetRewrite rewrite;
    private static final String PHYSICAL_NAME = "delta.columnMapping.physicalName";

    private final Path scratch;
    private final StructType dataSchema;
    private final List<Column> statsColumns;
    private final long targetFileSize;

    /**
     * For one plan: {@code schemaString} is the table's schema, whose partition columns are not in
     * the files; work directories are made under {@code scratch}.
     */
    BinRewriter(
            Storage storage,
            ParquetRewrite rewrite,
            Path scratch,
            String schemaString,
            List<String> partitionColumns,
            long targetFileSize) {
        this.storage = storage;
        this.rewrite = rewrite;
        this.scratch = scratch;
        this.targetFileSize = targetFileSize;
        StructType schema = DataTypeJsonSerDe.deserializeStructType(schemaString);
        StructType data = new StructType();
        for (StructField field : schema.fields()) {
            if (!partitionColumns.contains(field.getName())) {
                data = data.add(field);
            }
        }
        // The files hold the physical names under column mapping: read and write those, and
        // keep the statistics keyed by them, as Delta's readers expect.
        this.dataSchema = (StructType) physical(data);
        this.statsColumns = SchemaUtils.collectLeafColumns(dataSchema, Set.of(), STATS_COLUMNS);
    }

    /** {@code type} with every field under its column-mapping physical name, where it has one. */
    private static DataType physical(DataType type) {
        if (type instanceof StructType struct) {
            StructType out = new StructType();
            for (StructField field : struct.fields()) {
                Object name = field.getMetadata().get(PHYSICAL_NAME);
                out = out.add(new StructField(
                        name instanceof String physicalName ? physicalName : field.getName(),
                        physical(field.getDataType()),
                        field.isNullable(),
                        field.getMetadata()));
            }
            return out;
        }
        if (type instanceof ArrayType array) {
            return new ArrayType(physical(array.getElementType()), array.containsNull());
        }
        if (type instanceof MapType map) {
            return new MapType(physical(map.getKeyType()), physical(map.getValueType()), map.isValueContainsNull());
        }
        return type;
    }

    /**
     * Writes the bin's rows into new files in its partition's directory. Whatever was written is
     * added to {@code written} as it completes, so a caller can take it back on failure.
     */
    void rewrite(String location, Bin bin, List<Written> written) throws IOException {
        String prefix = bin.directory().isEmpty()
                ? location
                : storage.resolve(location, decoded(bin.directory()).replaceAll("/$", ""));
        Files.createDirectories(scratch);
        Path work = Files.createTempDirectory(scratch, "optimize-");
        try {
            List<Path> inputs = inputs(bin, work);
            List<Path> files;
            try {
                files = rewrite.run(inputs, dataSchema, work.resolve("out"), targetFileSize);
            } catch (SQLException e) {
                throw RewriteResources.exhausted(e) ? new RewriteResources(e) : new UnreadableParquet(e);
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                String objectPath = storage.resolve(prefix, name);
                long size = Files.size(file);
                DataFileStatistics statistics = ParquetStatsReader.readDataFileStatistics(
                        LOCAL.newInputFile(file.toUri().toString(), size), dataSchema, statsColumns);
                if (statistics.getNumRecords() == 0) {
                    continue; // the bin's files held no row: they are removed, nothing takes their place
                }
                String stats = statistics.serializeAsJson(dataSchema);
                if (!storage.putFileIfAbsent(objectPath, file)) {
                    throw new FileAlreadyExistsException(objectPath); // a new UUID: never, short of a bug
                }
                written.add(new Written(bin.directory() + name, objectPath, bin.partitionValues(), size, stats));
            }
        } finally {
            deleteQuietly(work);
        }
    }

    /** A file DuckDB could not read as Parquet (or a rewrite it refused). */
    static final class UnreadableParquet extends RuntimeException {
        UnreadableParquet(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * DuckDB ran out of what the rewrite may use — memory past {@code rewrite-memory}, disk under
     * {@code rewrite-scratch} — or was interrupted: the files are fine, the attempt is not.
     */
    static final class RewriteResources extends RuntimeException {
        RewriteResources(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        /** DuckDB's own words for it: its error type opens the message. */
        static boolean exhausted(SQLException e) {
            String message = String.valueOf(e.getMessage());
            return message.startsWith("Out of Memory Error")
                    || message.contains("No space left on device")
                    || message.startsWith("INTERRUPT Error");
        }
    }

    /**
     * The bin's files as local paths DuckDB reads: where they are on the local disk (linked under a
     * plain name when theirs holds a glob character), otherwise fetched into {@code work}.
     */
    private List<Path> inputs(Bin bin, Path work) throws IOException {
        Path in = Files.createDirectories(work.resolve("in"));
        List<Path> inputs = new ArrayList<>();
        for (DataFile file : bin.files()) {
            Path local = in.resolve(inputs.size() + ".parquet");
            if (StoragePaths.isLocal(file.objectPath())) {
                Path path = StoragePaths.toPath(file.objectPath());
                if (!Files.isRegularFile(path)) {
                    throw new NoSuchFileException(file.objectPath());
                }
                if (path.toString().chars().noneMatch(c -> GLOB.indexOf(c) >= 0)) {
                    inputs.add(path);
                    continue;
                }
                Files.copy(path, local);
            } else {
                try (InputStream bytes = storage.open(file.objectPath())
                        .orElseThrow(() -> new FileNotFoundException(file.objectPath()))) {
                    Files.copy(bytes, local);
                }
            }
            inputs.add(local);
        }
        return inputs;
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

    private static void deleteQuietly(Path work) {
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete the work directory {}", work, e);
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
