package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Array;
import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.MapType;
import io.deltaplane.metadata.iceberg.DeltaTypes.Struct;
import io.deltaplane.metadata.iceberg.DeltaTypes.Type;
import java.util.Collection;
import java.util.List;

/**
 * Disagreements between Iceberg's client and Delta Kernel that {@link GeneratedTablesTest} found:
 * each is now refused by name ({@code ICEBERG_NOT_SERVED}), exact or refused; the generator leaves
 * each case out, since a table not served has no rows to compare. Each names its reproduction and
 * the test of its refusal.
 */
final class KnownDisagreements {

    private KnownDisagreements() {}

    /**
     * <b>Files with Parquet field ids in a table with a list or map column.</b> Spark writes the files
     * of a table with column mapping ({@code name} mode, without IcebergCompatV2) with each struct
     * field's column mapping id as its Parquet field id, and no id on list elements or map keys and
     * values. Iceberg's reader applies the name mapping only to files without any field id, so it
     * reads this one by ids, and the list element (or map key and value), which the Iceberg schema
     * numbers from 1000000000 on ({@code IcebergSchemas.RESERVED_IDS}), is nowhere in the file:
     * reading any row throws {@code IllegalArgumentException: [col-…, list, element] optional int64
     * element is not in the store}, where Kernel reads the rows.
     *
     * <p>Reproduction: a table created with {@code delta.columnMapping.mode=name} and columns {@code
     * id long, c array<long>}; one file of one row {@code (1, [7])}, its schema {@code message
     * spark_schema { optional int64 col-a = 1; optional group col-b (LIST) = 2 { repeated group list {
     * optional int64 element; } } }} (physical names, Delta's ids); Kernel reads {@code 1 | [7]},
     * {@code IcebergReader.rows} throws. The same with {@code map<string,long>} ({@code [col-…,
     * key_value, key] … is not in the store}); a struct column reads; the same file without field ids
     * reads (by the name mapping). Seeds 3 and 6 ran into it before this exclusion. Now refused by
     * name, 422 {@code ICEBERG_NOT_SERVED} naming the file and its field without an id (the conversion
     * reads the footers of such a table's files: {@code DataFileEntries.dataFile}, {@code
     * IcebergFieldIdsTest}): exact or refused, but not served, so still left out here.
     *
     * @return whether a file of these columns is written without field ids for now
     */
    static boolean listOrMapUnderFieldIds(List<Field> columns) {
        return columns.stream().anyMatch(f -> holdsListOrMap(f.type()));
    }

    /**
     * <b>A new column named as a partition column was.</b> An Iceberg identity partition field is
     * named after its source column when its spec is made, and keeps that name when the column is
     * renamed (under column mapping) or stops being a partition column; every spec stays in the
     * metadata. A later schema with another column of that name is refused by Iceberg ({@code
     * IllegalArgumentException: Cannot create identity partition sourced from different field in
     * schema: p}): the conversion fails at that version and the table is no longer served ({@code 500
     * ICEBERG_CONVERSION_FAILED}), where Kernel reads every version.
     *
     * <p>Reproduction: a table created with {@code delta.columnMapping.mode=name}, columns {@code id
     * long, p string}, partitioned by {@code p}; version 1 renames {@code p} to {@code q} (the
     * partition column now {@code q}); version 2 adds a column {@code p long} (id 3, a new physical
     * name). Loading the table answered 500 {@code ICEBERG_CONVERSION_FAILED} "… Cannot create identity
     * partition sourced from different field in schema: p" (seeds 43 and 46 of {@code
     * -Dgenerated.seeds=48}); now it is refused by name, 422 {@code ICEBERG_NOT_SERVED} ({@code
     * PartitionSpecs.requireFieldNamesFree}): exact or refused, but not served, so still left out here.
     *
     * @param partitionNames every name a partition column of the table has had
     * @return whether a new column is not given {@code name} for now
     */
    static boolean namedAsAPartitionColumnWas(String name, Collection<String> partitionNames) {
        return partitionNames.stream().anyMatch(name::equalsIgnoreCase);
    }

    private static boolean holdsListOrMap(Type type) {
        if (type instanceof Array || type instanceof MapType) {
            return true;
        }
        return type instanceof Struct struct && struct.fields().stream().anyMatch(f -> holdsListOrMap(f.type()));
    }
}
