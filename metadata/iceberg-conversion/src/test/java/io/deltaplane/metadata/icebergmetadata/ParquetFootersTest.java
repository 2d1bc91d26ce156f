package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

/** Which file schemas Iceberg's reader cannot read by their field ids: a field without one where another has one. */
class ParquetFootersTest {

    private static Type column(String name, Integer id) {
        return withId(Types.optional(PrimitiveTypeName.INT64).named(name), id);
    }

    private static Type withId(Type type, Integer id) {
        return id == null ? type : type.withId(id);
    }

    private static Type list(String name, Integer id, Integer elementId) {
        Type list = Types.optionalGroup()
                .as(LogicalTypeAnnotation.listType())
                .addField(Types.repeatedGroup()
                        .addField(column("element", elementId))
                        .named("list"))
                .named(name);
        return id == null ? list : list.withId(id);
    }

    private static Type map(String name, int id, Integer keyId, Integer valueId) {
        return Types.optionalGroup()
                .as(LogicalTypeAnnotation.mapType())
                .addField(Types.repeatedGroup()
                        .addField(withId(Types.required(PrimitiveTypeName.INT64).named("key"), keyId))
                        .addField(column("value", valueId))
                        .named("key_value"))
                .named(name)
                .withId(id);
    }

    private static MessageType message(Type... fields) {
        return Types.buildMessage().addFields(fields).named("spark_schema");
    }

    /** The schema holds ids 1 to 9; its columns go by the names col-a, col-b, col-m and col-s. */
    private static java.util.Optional<String> fieldWithoutId(MessageType file) {
        return ParquetFooters.fieldWithoutId(
                file, id -> id >= 1 && id <= 9, java.util.Set.of("col-a", "col-b", "col-m", "col-s"));
    }

    @Test
    void fieldsTheSchemaDoesNotHoldAreNeverReadAndDoNotCount() {
        // a dropped list column (id 42) written without element ids, and a writer's extra column
        assertThat(fieldWithoutId(message(column("col-a", 1), list("col-gone", 42, null), column("extra", null))))
                .isEmpty();
        // a struct field the schema dropped (id 43), without ids below it
        Type struct = Types.optionalGroup()
                .addField(column("x", 3))
                .addField(list("dropped", 43, null))
                .named("col-s")
                .withId(2);
        assertThat(fieldWithoutId(message(column("col-a", 1), struct))).isEmpty();
    }

    @Test
    void aColumnOfTheSchemaWithoutAnIdWhereOthersHaveOneIsNamed() {
        assertThat(fieldWithoutId(message(column("col-a", 1), column("col-b", null))))
                .contains("col-b");
    }

    @Test
    void aFileWithoutAnyIdIsReadByTheNameMappingAndAFileWithAnIdOnEveryFieldByItsIds() {
        assertThat(fieldWithoutId(message(column("col-a", null), list("col-b", null, null))))
                .isEmpty();
        assertThat(fieldWithoutId(message(column("col-a", 1), list("col-b", 2, 3))))
                .isEmpty();
        assertThat(fieldWithoutId(message(column("col-a", 1), map("col-m", 2, 3, 4))))
                .isEmpty();
    }

    @Test
    void aFileWithIdsOnItsColumnsButNoneOnAListsElementOrAMapsKeyIsNamed() {
        assertThat(fieldWithoutId(message(column("col-a", 1), list("col-b", 2, null))))
                .contains("col-b.list.element");
        assertThat(fieldWithoutId(message(column("col-a", 1), map("col-m", 2, null, 4))))
                .contains("col-m.key_value.key");
        assertThat(fieldWithoutId(message(column("col-a", 1), map("col-m", 2, 3, null))))
                .contains("col-m.key_value.value");
    }

    @Test
    void aStructFieldWithoutAnIdWhereOthersHaveOneIsNamed() {
        Type struct = Types.optionalGroup()
                .addField(column("x", 3))
                .addField(column("y", null))
                .named("col-s")
                .withId(2);
        assertThat(fieldWithoutId(message(column("col-a", 1), struct))).contains("col-s.y");
    }
}
