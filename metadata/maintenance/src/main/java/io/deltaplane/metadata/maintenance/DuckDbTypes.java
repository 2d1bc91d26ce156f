package io.deltaplane.metadata.maintenance;

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
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampNTZType;
import io.delta.kernel.types.TimestampType;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Delta's column types as DuckDB's, chosen so that DuckDB writes each in the Parquet physical type
 * and annotation Delta specifies: {@code timestamp} as {@code TIMESTAMPTZ} (INT64 microseconds,
 * adjusted to UTC), {@code timestamp_ntz} as {@code TIMESTAMP} (not adjusted), {@code decimal} at its
 * precision and scale, nested types as Parquet's three-level lists and maps.
 */
final class DuckDbTypes {

    private DuckDbTypes() {}

    /** The DuckDB type a column of Delta type {@code type} is written as. */
    static String of(DataType type) {
        if (type instanceof StringType) {
            return "VARCHAR";
        } else if (type instanceof LongType) {
            return "BIGINT";
        } else if (type instanceof IntegerType) {
            return "INTEGER";
        } else if (type instanceof ShortType) {
            return "SMALLINT";
        } else if (type instanceof ByteType) {
            return "TINYINT";
        } else if (type instanceof DoubleType) {
            return "DOUBLE";
        } else if (type instanceof FloatType) {
            return "FLOAT";
        } else if (type instanceof BooleanType) {
            return "BOOLEAN";
        } else if (type instanceof BinaryType) {
            return "BLOB";
        } else if (type instanceof DateType) {
            return "DATE";
        } else if (type instanceof TimestampType) {
            return "TIMESTAMPTZ";
        } else if (type instanceof TimestampNTZType) {
            return "TIMESTAMP";
        } else if (type instanceof DecimalType decimal) {
            return "DECIMAL(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
        } else if (type instanceof ArrayType array) {
            return of(array.getElementType()) + "[]";
        } else if (type instanceof MapType map) {
            return "MAP(" + of(map.getKeyType()) + ", " + of(map.getValueType()) + ")";
        } else if (type instanceof StructType struct) {
            StringJoiner fields = new StringJoiner(", ", "STRUCT(", ")");
            for (StructField field : struct.fields()) {
                fields.add(identifier(field.getName()) + " " + of(field.getDataType()));
            }
            return fields.toString();
        }
        throw new ApiException(
                ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                "OPTIMIZE does not rewrite columns of type " + type + "; nothing was committed",
                Map.of("type", type.toString()));
    }

    /** A double-quoted SQL identifier. */
    static String identifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A single-quoted SQL string literal. */
    static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
