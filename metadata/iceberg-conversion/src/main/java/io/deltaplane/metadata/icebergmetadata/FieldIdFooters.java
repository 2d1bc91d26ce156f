package io.deltaplane.metadata.icebergmetadata;

import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;

/**
 * The check that Iceberg's reader can find every field of a table's schema in an added data file
 * that carries Parquet field ids ({@link ParquetFooters#fieldWithoutId}), for the tables whose
 * schema holds ids no writer put in a file (list elements, map keys and values Delta gave no id).
 * A file that passed is remembered (by location: a data file never changes), so a conversion that
 * is retried, or a table's next versions, do not read its footer again. A file that is gone (a
 * VACUUM after a later remove) is not read: no reader can read it either.
 */
final class FieldIdFooters {

    /** Locations of files that passed, at most this many remembered (a footer read again past it). */
    static final int REMEMBERED = 100_000;

    private final Map<String, Boolean> passed = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    /**
     * Checks the file at {@code location}; answers its footer if it was read (for its record count),
     * or empty (checked before, or gone).
     *
     * @param columnNames the names the schema's top-level columns go by (its name mapping's)
     * @throws IcebergUnsupported naming the file and the field Iceberg's reader would not find
     */
    Optional<ParquetFooters.Footer> check(
            FileIO io, String path, String location, long size, Schema schema, Set<String> columnNames) {
        if (passed.containsKey(location)) {
            return Optional.empty();
        }
        ParquetFooters.Footer footer;
        try {
            footer = ParquetFooters.read(io.newInputFile(location, size));
        } catch (RuntimeException e) {
            if (gone(e)) {
                return Optional.empty();
            }
            throw e;
        }
        ParquetFooters.fieldWithoutId(footer.schema(), id -> schema.findField(id) != null, columnNames)
                .ifPresent(field -> {
                    throw new IcebergUnsupported("the data file " + path
                            + ", which carries Parquet field ids but none on "
                            + field + " (Iceberg readers read such a file by its ids alone; Delta writers give list"
                            + " elements and map keys and values ids with delta.columnMapping.nested.ids, as under"
                            + " IcebergCompatV2)");
                });
        passed.put(location, Boolean.TRUE);
        return Optional.of(footer);
    }

    private static boolean gone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NotFoundException
                    || t instanceof FileNotFoundException
                    || t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }
}
