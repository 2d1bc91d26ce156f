package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * A new partition spec takes partition field ids no earlier spec gave another field (v2 requires
 * them unique across specs; before, every spec started again at 1000), an earlier field on the same
 * source keeps its id, and a spec on the same sources (a renamed partition column) is no new spec.
 */
class PartitionSpecsTest {

    private static final Schema SCHEMA = new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "day", Types.StringType.get()),
            Types.NestedField.optional(3, "region", Types.StringType.get()));

    private static TableMetadata table(PartitionSpec spec) {
        return TableMetadata.newTableMetadata(SCHEMA, spec, SortOrder.unsorted(), "file:/tmp/t", Map.of());
    }

    @Test
    void aNewSpecTakesAFreshFieldIdAndAnEarlierFieldKeepsItsOwn() {
        TableMetadata byDay =
                table(PartitionSpec.builderFor(SCHEMA).identity("day").build());
        assertThat(byDay.spec().fields().get(0).fieldId()).isEqualTo(1000);

        PartitionSpec byRegion = PartitionSpecs.evolve(
                byDay, PartitionSpec.builderFor(SCHEMA).identity("region").build());
        assertThat(byRegion.fields().get(0).fieldId()).isEqualTo(1001);
        TableMetadata evolved =
                TableMetadata.buildFrom(byDay).setDefaultPartitionSpec(byRegion).build();
        assertThat(evolved.lastAssignedPartitionId()).isEqualTo(1001);

        PartitionSpec both = PartitionSpecs.evolve(
                evolved,
                PartitionSpec.builderFor(SCHEMA)
                        .identity("day")
                        .identity("region")
                        .build());
        assertThat(both.fields()).extracting(f -> f.fieldId()).containsExactly(1000, 1001);
    }

    @Test
    void theSameSourcesUnderAnotherNameAreTheSameSpec() {
        TableMetadata byDay =
                table(PartitionSpec.builderFor(SCHEMA).identity("day").build());
        Schema renamed = new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "sale_day", Types.StringType.get()),
                Types.NestedField.optional(3, "region", Types.StringType.get()));
        assertThat(PartitionSpecs.evolve(
                        byDay,
                        PartitionSpec.builderFor(renamed).identity("sale_day").build()))
                .isNull();
    }

    /**
     * A new column named as an identity partition field on another column is refused by name (Iceberg
     * cannot hold both; before, the conversion failed on Iceberg's own check and the table answered
     * 500 from then on).
     */
    @Test
    void aNewColumnNamedAsAnEarlierPartitionFieldIsRefusedByName() {
        TableMetadata byDay =
                table(PartitionSpec.builderFor(SCHEMA).identity("day").build());
        Schema renamedThenTaken = new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "sale_day", Types.StringType.get()),
                Types.NestedField.optional(3, "region", Types.StringType.get()),
                Types.NestedField.optional(4, "day", Types.LongType.get()));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> PartitionSpecs.requireFieldNamesFree(byDay, renamedThenTaken))
                .isInstanceOf(IcebergUnsupported.class)
                .hasMessageContaining("a column named day");
        // the partition column itself, renamed or not, is no conflict
        Schema renamed = new Schema(
                Types.NestedField.required(1, "id", Types.LongType.get()),
                Types.NestedField.optional(2, "sale_day", Types.StringType.get()));
        PartitionSpecs.requireFieldNamesFree(byDay, renamed);
        PartitionSpecs.requireFieldNamesFree(byDay, SCHEMA);
    }
}
