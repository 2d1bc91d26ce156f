package io.deltaplane.metadata.iceberg;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.ByteType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DecimalType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.ShortType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * One rendering of a value for both readers, so that rows compare as text: strings quoted (a
 * string {@code "null"} is no null), null as {@code null}, integers of every width and decimals
 * plain, dates as days and timestamps as microseconds since the epoch, floats as Java prints them,
 * binary in hex, structs {@code {name=value,…}}, arrays {@code […]} and maps {@code {key:value,…}}.
 * Delta Kernel's values come as column vectors, Iceberg's as its generic objects.
 */
final class RenderedValues {

    private RenderedValues() {}

    /**
     * The value at {@code i} of a Kernel column vector of the column's logical type {@code type} (the
     * snapshot schema's: under column mapping the vectors of a struct's fields may carry their physical
     * names).
     */
    static String kernel(ColumnVector vector, DataType type, int i) {
        if (vector.isNullAt(i)) {
            return "null";
        }
        if (type instanceof StructType struct) {
            StringJoiner fields = new StringJoiner(",", "{", "}");
            for (int f = 0; f < struct.length(); f++) {
                fields.add(struct.at(f).getName() + "="
                        + kernel(vector.getChild(f), struct.at(f).getDataType(), i));
            }
            return fields.toString();
        } else if (type instanceof ArrayType array) {
            ArrayValue value = vector.getArray(i);
            StringJoiner elements = new StringJoiner(",", "[", "]");
            for (int e = 0; e < value.getSize(); e++) {
                elements.add(kernel(value.getElements(), array.getElementType(), e));
            }
            return elements.toString();
        } else if (type instanceof MapType map) {
            MapValue value = vector.getMap(i);
            StringJoiner entries = new StringJoiner(",", "{", "}");
            for (int e = 0; e < value.getSize(); e++) {
                entries.add(kernel(value.getKeys(), map.getKeyType(), e) + ":"
                        + kernel(value.getValues(), map.getValueType(), e));
            }
            return entries.toString();
        }
        return primitive(kernelValue(vector, i));
    }

    /**
     * The value at {@code i} of a Kernel vector of a primitive type, as Iceberg's expressions take it
     * (and as {@link #primitive} renders it): integers narrower than long as {@code Integer}, dates
     * as days ({@code Integer}), timestamps as microseconds ({@code Long}), binary as a {@code
     * ByteBuffer}; null if null.
     */
    static Object kernelValue(ColumnVector vector, int i) {
        if (vector.isNullAt(i)) {
            return null;
        }
        DataType type = vector.getDataType();
        if (type instanceof StringType) {
            return vector.getString(i);
        } else if (type instanceof LongType || type instanceof TimestampType || type instanceof TimestampNTZType) {
            return vector.getLong(i);
        } else if (type instanceof IntegerType || type instanceof DateType) {
            return vector.getInt(i);
        } else if (type instanceof ShortType) {
            return (int) vector.getShort(i);
        } else if (type instanceof ByteType) {
            return (int) vector.getByte(i);
        } else if (type instanceof DoubleType) {
            return vector.getDouble(i);
        } else if (type instanceof FloatType) {
            return vector.getFloat(i);
        } else if (type instanceof BooleanType) {
            return vector.getBoolean(i);
        } else if (type instanceof BinaryType) {
            return ByteBuffer.wrap(vector.getBinary(i));
        } else if (type instanceof DecimalType) {
            return vector.getDecimal(i);
        }
        throw new IllegalArgumentException("not a primitive: " + type);
    }

    /** A primitive value as {@link #kernelValue} gives it. */
    static String primitive(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String s) {
            return '"' + s + '"';
        } else if (value instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return "0x" + HexFormat.of().formatHex(copy);
        } else if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    /** An Iceberg generic value of {@code type}, rendered as {@link #kernel} renders Kernel's. */
    static String iceberg(Object value, org.apache.iceberg.types.Type type) {
        if (value == null) {
            return "null";
        }
        if (type instanceof Types.StructType struct) {
            Record record = (Record) value;
            StringJoiner fields = new StringJoiner(",", "{", "}");
            for (Types.NestedField f : struct.fields()) {
                fields.add(f.name() + "=" + iceberg(record.getField(f.name()), f.type()));
            }
            return fields.toString();
        } else if (type instanceof Types.ListType list) {
            StringJoiner elements = new StringJoiner(",", "[", "]");
            for (Object element : (List<?>) value) {
                elements.add(iceberg(element, list.elementType()));
            }
            return elements.toString();
        } else if (type instanceof Types.MapType map) {
            StringJoiner entries = new StringJoiner(",", "{", "}");
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                entries.add(iceberg(entry.getKey(), map.keyType()) + ":" + iceberg(entry.getValue(), map.valueType()));
            }
            return entries.toString();
        }
        return primitive(icebergValue(value));
    }

    /** An Iceberg generic primitive as {@link #kernelValue} gives Kernel's. */
    static Object icebergValue(Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        } else if (value instanceof LocalDate date) {
            return (int) date.toEpochDay();
        } else if (value instanceof OffsetDateTime at) {
            return micros(at.toInstant());
        } else if (value instanceof LocalDateTime at) {
            return micros(at.toInstant(ZoneOffset.UTC));
        } else if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        return value;
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }
}
