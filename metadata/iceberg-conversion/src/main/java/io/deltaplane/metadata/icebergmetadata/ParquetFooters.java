package io.deltaplane.metadata.icebergmetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * What a data file's Parquet footer says: its record count, for an add that carries no statistics
 * (Delta makes them optional; Kernel writes none when not given any: Iceberg needs every data file's
 * record count), and its schema's field ids. The footer is read through the platform's storage (a
 * ranged read at the end of the file).
 */
final class ParquetFooters {

    /** A footer's record count and schema. */
    record Footer(long recordCount, MessageType schema) {}

    private ParquetFooters() {}

    /** The file's record count, from its footer. */
    static long recordCount(InputFile file) {
        return read(file).recordCount();
    }

    /** The file's footer. */
    static Footer read(InputFile file) {
        org.apache.parquet.io.InputFile parquet = new org.apache.parquet.io.InputFile() {
            @Override
            public long getLength() {
                return file.getLength();
            }

            @Override
            public org.apache.parquet.io.SeekableInputStream newStream() {
                SeekableInputStream in = file.newStream();
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() throws IOException {
                        return in.getPos();
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        in.seek(newPos);
                    }
                };
            }
        };
        try (ParquetFileReader reader = ParquetFileReader.open(parquet)) {
            return new Footer(
                    reader.getRecordCount(),
                    reader.getFooter().getFileMetaData().getSchema());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the Parquet footer of " + file.location(), e);
        }
    }

    /**
     * The first field (its dotted path of Parquet names) that Iceberg's reader cannot find in a file
     * where some field carries an id, if any. Iceberg reads such a file by its ids alone (the name
     * mapping is for files without any): a field of the table's schema whose id is not in the file
     * is not found — a list's element or a map's key or value makes reading throw, a column or a
     * struct's field reads as null. Fields the schema does not hold (a dropped column, a writer's
     * extra one) are never read and do not count.
     *
     * @param inSchema whether an id is one of the table's Iceberg schema
     * @param columnNames the names (logical and physical) the schema's top-level columns go by
     */
    static Optional<String> fieldWithoutId(MessageType schema, IntPredicate inSchema, Set<String> columnNames) {
        if (!hasIds(schema)) {
            return Optional.empty();
        }
        for (Type column : schema.getFields()) {
            if (column.getId() == null) {
                if (columnNames.contains(column.getName())) {
                    return Optional.of(column.getName());
                }
            } else if (inSchema.test(column.getId().intValue()) && !column.isPrimitive()) {
                Optional<String> inner = withoutId(column.asGroupType(), column.getName(), inSchema);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean hasIds(GroupType group) {
        for (Type field : group.getFields()) {
            if (field.getId() != null || (!field.isPrimitive() && hasIds(field.asGroupType()))) {
                return true;
            }
        }
        return false;
    }

    /** Within a field the schema reads: every nested field needs an id (those it does not hold are skipped). */
    private static Optional<String> withoutId(GroupType group, String prefix, IntPredicate inSchema) {
        boolean wrapper = isListOrMap(group);
        for (Type field : group.getFields()) {
            String path = prefix + "." + field.getName();
            // the repeated group of a three-level list or map has no id of its own in any writer
            boolean repeatedLevel = wrapper && field.isRepetition(Type.Repetition.REPEATED) && !field.isPrimitive();
            if (!repeatedLevel) {
                if (field.getId() == null) {
                    return Optional.of(path);
                }
                if (!inSchema.test(field.getId().intValue())) {
                    continue; // a struct field the schema dropped: never read
                }
            }
            if (!field.isPrimitive()) {
                Optional<String> inner = withoutId(field.asGroupType(), path, inSchema);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isListOrMap(GroupType group) {
        LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
        return annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation;
    }
}
