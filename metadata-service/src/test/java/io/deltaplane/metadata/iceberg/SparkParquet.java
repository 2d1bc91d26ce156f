package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Array;
import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.MapType;
import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import io.deltaplane.metadata.iceberg.DeltaTypes.Struct;
import io.deltaplane.metadata.iceberg.DeltaTypes.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Parquet files of the generated tables as Spark writes a Delta table's files (parquet-java, not the
 * code under test; {@code OptimizeTypesTest} writes them the same way): columns under their physical
 * names, the partition column left out; short and byte as annotated INT32, dates INT32, timestamps
 * INT96 (Spark's default; INT64 microseconds when {@code int96} is false) and timestamp_ntz INT64
 * microseconds not adjusted to UTC, decimals INT32 up to precision 9, INT64 up to 18, fixed-length
 * bytes beyond; three-level lists and maps. With {@code ids} (as Spark writes the files of a table
 * with column mapping), each struct field carries its column mapping id as the Parquet field id; list
 * elements and map keys and values none.
 */
final class SparkParquet {

    private SparkParquet() {}

    /** The file's schema: {@code fields} under their physical names, with their ids if {@code ids}. */
    static MessageType schema(List<Field> fields, boolean int96, boolean ids) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (Field f : fields) {
            message.addField(field(f, int96, ids));
        }
        return message.named("spark_schema");
    }

    private static org.apache.parquet.schema.Type field(Field f, boolean int96, boolean ids) {
        org.apache.parquet.schema.Type type = type(f.physical(), f.type(), f.nullable(), int96, ids);
        return ids && f.id() > 0 ? type.withId(f.id()) : type;
    }

    private static org.apache.parquet.schema.Type type(
            String name, Type type, boolean nullable, boolean int96, boolean ids) {
        Repetition repetition = nullable ? Repetition.OPTIONAL : Repetition.REQUIRED;
        if (type instanceof Struct s) {
            Types.GroupBuilder<org.apache.parquet.schema.GroupType> group = Types.buildGroup(repetition);
            for (Field f : s.fields()) {
                group.addField(field(f, int96, ids));
            }
            return group.named(name);
        } else if (type instanceof Array a) {
            return Types.buildGroup(repetition)
                    .as(LogicalTypeAnnotation.listType())
                    .addField(Types.buildGroup(Repetition.REPEATED)
                            .addField(type("element", a.element(), a.containsNull(), int96, ids))
                            .named("list"))
                    .named(name);
        } else if (type instanceof MapType m) {
            return Types.buildGroup(repetition)
                    .as(LogicalTypeAnnotation.mapType())
                    .addField(Types.buildGroup(Repetition.REPEATED)
                            .addField(type("key", m.key(), false, int96, ids))
                            .addField(type("value", m.value(), m.valueContainsNull(), int96, ids))
                            .named("key_value"))
                    .named(name);
        }
        Primitive p = (Primitive) type;
        switch (p.name()) {
            case "long":
                return Types.primitive(PrimitiveTypeName.INT64, repetition).named(name);
            case "integer":
                return Types.primitive(PrimitiveTypeName.INT32, repetition).named(name);
            case "short":
                return Types.primitive(PrimitiveTypeName.INT32, repetition)
                        .as(LogicalTypeAnnotation.intType(16, true))
                        .named(name);
            case "byte":
                return Types.primitive(PrimitiveTypeName.INT32, repetition)
                        .as(LogicalTypeAnnotation.intType(8, true))
                        .named(name);
            case "double":
                return Types.primitive(PrimitiveTypeName.DOUBLE, repetition).named(name);
            case "float":
                return Types.primitive(PrimitiveTypeName.FLOAT, repetition).named(name);
            case "boolean":
                return Types.primitive(PrimitiveTypeName.BOOLEAN, repetition).named(name);
            case "string":
                return Types.primitive(PrimitiveTypeName.BINARY, repetition)
                        .as(LogicalTypeAnnotation.stringType())
                        .named(name);
            case "binary":
                return Types.primitive(PrimitiveTypeName.BINARY, repetition).named(name);
            case "date":
                return Types.primitive(PrimitiveTypeName.INT32, repetition)
                        .as(LogicalTypeAnnotation.dateType())
                        .named(name);
            case "timestamp":
                return int96
                        ? Types.primitive(PrimitiveTypeName.INT96, repetition).named(name)
                        : Types.primitive(PrimitiveTypeName.INT64, repetition)
                                .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                                .named(name);
            case "timestamp_ntz":
                return Types.primitive(PrimitiveTypeName.INT64, repetition)
                        .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(name);
            case "decimal":
                LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(p.scale(), p.precision());
                if (p.precision() <= 9) {
                    return Types.primitive(PrimitiveTypeName.INT32, repetition)
                            .as(decimal)
                            .named(name);
                } else if (p.precision() <= 18) {
                    return Types.primitive(PrimitiveTypeName.INT64, repetition)
                            .as(decimal)
                            .named(name);
                }
                return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition)
                        .length(decimalBytes(p.precision()))
                        .as(decimal)
                        .named(name);
            default:
                throw new IllegalArgumentException(p.name());
        }
    }

    /** Spark's bytes for a decimal of {@code precision} beyond 18 digits: the fewest that hold it signed. */
    static int decimalBytes(int precision) {
        int bytes = 1;
        while (BigInteger.TWO.pow(8 * bytes - 1).compareTo(BigInteger.TEN.pow(precision)) < 0) {
            bytes++;
        }
        return bytes;
    }

    /** Writes {@code rows} (values of {@code fields}, in order) to a new file at {@code file}. */
    static void write(Path file, List<Field> fields, List<Object[]> rows, boolean int96, boolean ids) {
        MessageType schema = schema(fields, int96, ids);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try {
            Files.createDirectories(file.getParent());
            try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                    .withType(schema)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .build()) {
                for (Object[] row : rows) {
                    Group group = groups.newGroup();
                    for (int i = 0; i < fields.size(); i++) {
                        put(group, fields.get(i).physical(), fields.get(i).type(), row[i], int96);
                    }
                    writer.write(group);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(Group parent, String name, Type type, Object value, boolean int96) {
        if (value == null) {
            return;
        }
        if (type instanceof Struct s) {
            Group group = parent.addGroup(name);
            Object[] values = (Object[]) value;
            for (int i = 0; i < values.length; i++) {
                Field f = s.fields().get(i);
                put(group, f.physical(), f.type(), values[i], int96);
            }
        } else if (type instanceof Array a) {
            Group list = parent.addGroup(name);
            for (Object element : (List<?>) value) {
                put(list.addGroup("list"), "element", a.element(), element, int96);
            }
        } else if (type instanceof MapType m) {
            Group map = parent.addGroup(name);
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                Group pair = map.addGroup("key_value");
                put(pair, "key", m.key(), entry.getKey(), int96);
                put(pair, "value", m.value(), entry.getValue(), int96);
            }
        } else {
            primitive(parent, name, (Primitive) type, value, int96);
        }
    }

    private static void primitive(Group parent, String name, Primitive p, Object value, boolean int96) {
        switch (p.name()) {
            case "long" -> parent.append(name, (Long) value);
            case "integer", "date" -> parent.append(name, (Integer) value);
            case "short" -> parent.append(name, (int) (Short) value);
            case "byte" -> parent.append(name, (int) (Byte) value);
            case "double" -> parent.append(name, (Double) value);
            case "float" -> parent.append(name, (Float) value);
            case "boolean" -> parent.append(name, (Boolean) value);
            case "string" -> parent.append(name, Binary.fromString((String) value));
            case "binary" -> parent.append(name, Binary.fromConstantByteArray((byte[]) value));
            case "timestamp" -> {
                if (int96) {
                    parent.append(name, int96((Long) value));
                } else {
                    parent.append(name, (Long) value);
                }
            }
            case "timestamp_ntz" -> parent.append(name, (Long) value);
            case "decimal" -> {
                BigInteger unscaled = ((BigDecimal) value).unscaledValue();
                if (p.precision() <= 9) {
                    parent.append(name, unscaled.intValueExact());
                } else if (p.precision() <= 18) {
                    parent.append(name, unscaled.longValueExact());
                } else {
                    parent.append(name, fixed(unscaled, decimalBytes(p.precision())));
                }
            }
            default -> throw new IllegalArgumentException(p.name());
        }
    }

    /** Parquet's INT96 timestamp: nanoseconds of the day, then the Julian day, little-endian. */
    private static Binary int96(long micros) {
        long day = Math.floorDiv(micros, 86_400_000_000L);
        long nanos = (micros - day * 86_400_000_000L) * 1000L;
        return Binary.fromConstantByteArray(ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(nanos)
                .putInt((int) (day + 2_440_588L))
                .array());
    }

    /** Two's complement, sign-extended to {@code length} bytes, big-endian. */
    private static Binary fixed(BigInteger unscaled, int length) {
        byte[] bytes = unscaled.toByteArray();
        byte[] fixed = new byte[length];
        byte sign = (byte) (unscaled.signum() < 0 ? 0xFF : 0);
        java.util.Arrays.fill(fixed, sign);
        System.arraycopy(bytes, 0, fixed, length - bytes.length, bytes.length);
        return Binary.fromConstantByteArray(fixed);
    }
}
