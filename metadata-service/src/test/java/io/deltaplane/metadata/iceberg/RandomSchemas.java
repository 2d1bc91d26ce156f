package io.deltaplane.metadata.iceberg;

import io.deltaplane.metadata.iceberg.DeltaTypes.Array;
import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.MapType;
import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import io.deltaplane.metadata.iceberg.DeltaTypes.Struct;
import io.deltaplane.metadata.iceberg.DeltaTypes.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * Random columns for the generated tables: a table's first schema (every Delta primitive once, in a
 * random order, decimals of random precision and scale, some not null, and a struct, an array and a
 * map), its partition column, the columns added later, the names columns are renamed to (spaces,
 * unicode), and under column mapping the ids and physical names of new columns.
 */
final class RandomSchemas {

    /**
     * What a table is made with: its partition column's type (or none), column mapping, deletion
     * vectors, an array and a map column in its first schema.
     */
    record Profile(String partition, boolean columnMapping, boolean deletionVectors, boolean collections) {}

    /**
     * The profiles, taken in turn by seed: the first three cover hostile strings with and without
     * column mapping, and Parquet field ids ({@link KnownDisagreements#listOrMapUnderFieldIds}).
     */
    static final List<Profile> PROFILES = List.of(
            new Profile("string", false, true, true),
            new Profile("integer", true, false, false),
            new Profile("string", true, true, true),
            new Profile("date", false, false, true),
            new Profile("none", true, true, false),
            new Profile("date", true, true, true),
            new Profile("integer", false, true, true),
            new Profile("none", false, false, false));

    private static final List<String> NAMES = List.of("renamed_%d", "with space %d", "ünï_%d", "日本_%d", "UP_%d");

    private final Random random;
    private int columns;

    RandomSchemas(Random random) {
        this.random = random;
    }

    /** Every primitive once (decimal twice), shuffled, then a struct and ({@code collections}) an array and a map. */
    List<Field> initialColumns(boolean collections) {
        List<Type> types = new ArrayList<>();
        for (String name : DeltaTypes.PRIMITIVES) {
            types.add(name.equals("decimal") ? decimal() : Primitive.of(name));
        }
        types.add(decimal());
        Collections.shuffle(types, random);
        types.add(struct());
        if (collections) {
            types.add(new Array(primitive(false), random.nextBoolean()));
            types.add(new MapType(Primitive.of("string"), primitive(false), random.nextBoolean()));
        }
        List<Field> fields = new ArrayList<>();
        for (Type type : types) {
            // a column that is never null, now and then (never a nested one: fewer cases to write)
            boolean nullable = !(type instanceof Primitive) || random.nextInt(6) != 0;
            fields.add(column(type, nullable));
        }
        return fields;
    }

    /** The partition column of kind {@code kind} ({@link #PARTITION_KINDS}), or null for none. */
    Field partitionColumn(String kind) {
        if (kind.equals("none")) {
            return null;
        }
        return new Field("part_" + kind, Primitive.of(kind), true, 0, "part_" + kind);
    }

    /** A new nullable column of a random type for a table that may ({@code ntz}) hold timestamp_ntz. */
    Field addedColumn(boolean ntz) {
        Type type;
        do {
            type = random.nextInt(5) == 0 ? nested() : primitive(true);
        } while (!ntz && DeltaTypes.hasTimestampNtz(type));
        return column(type, true);
    }

    /** A new name for a column: spaces and unicode, as column mapping allows. */
    String newName() {
        return String.format(NAMES.get(random.nextInt(NAMES.size())), ++columns);
    }

    /**
     * {@code field} under column mapping: its id and those of its struct's fields taken from {@code
     * ids}, physical names {@code col-<uuid>} as Delta names them.
     */
    Field mapped(Field field, IntSupplier ids) {
        Type type = field.type();
        if (type instanceof Struct struct) {
            List<Field> fields = new ArrayList<>();
            struct.fields().forEach(f -> fields.add(mapped(f, ids)));
            type = new Struct(fields);
        }
        String physical = "col-" + new UUID(random.nextLong(), random.nextLong());
        return new Field(field.name(), type, field.nullable(), ids.getAsInt(), physical);
    }

    private Field column(Type type, boolean nullable) {
        String name = "c" + (++columns) + "_" + type.toString().replaceAll("[^a-z0-9]+", "_");
        if (name.length() > 24) {
            name = name.substring(0, 24);
        }
        return new Field(name, type, nullable, 0, name);
    }

    private Type nested() {
        return switch (random.nextInt(3)) {
            case 0 -> struct();
            case 1 -> new Array(primitive(false), random.nextBoolean());
            default -> new MapType(Primitive.of(random.nextBoolean() ? "string" : "integer"), primitive(false), true);
        };
    }

    private Struct struct() {
        List<Field> fields = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            String name = "f" + i;
            fields.add(new Field(name, primitive(false), true, 0, name));
        }
        return new Struct(fields);
    }

    /** A primitive type; decimals of any precision and scale ({@code ntz}: timestamp_ntz allowed). */
    Type primitive(boolean ntz) {
        String name;
        do {
            name = DeltaTypes.PRIMITIVES.get(random.nextInt(DeltaTypes.PRIMITIVES.size()));
        } while (!ntz && name.equals("timestamp_ntz"));
        return name.equals("decimal") ? decimal() : Primitive.of(name);
    }

    /** A decimal: precision 1..38 (its storage's edges more often), scale 0..precision. */
    Primitive decimal() {
        int[] edges = {1, 9, 10, 18, 19, 38};
        int precision = random.nextBoolean() ? edges[random.nextInt(edges.length)] : 1 + random.nextInt(38);
        int scale = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> precision;
            default -> random.nextInt(precision + 1);
        };
        return Primitive.decimal(precision, scale);
    }
}
