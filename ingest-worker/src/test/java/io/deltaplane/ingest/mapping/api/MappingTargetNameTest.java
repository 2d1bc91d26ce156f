package io.deltaplane.ingest.mapping.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.TestMappings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Delta target is named as metadata-service names tables, folded to lower case, so the mapping,
 * the commits it makes and the lineage it reports name one table; a DuckDB table keeps its case.
 */
class MappingTargetNameTest {

    @Test
    void aDeltaTargetIsFoldedADuckDbTableIsNot() {
        assertThat(TestMappings.kafkaToDelta("m", "t", "Sales.EU.Orders", List.of(), 10, 100)
                        .target()
                        .table())
                .isEqualTo("sales.eu.orders");
        assertThat(TestMappings.kafka("m", "t", "Orders", 10, 100).target().table())
                .isEqualTo("Orders");
    }
}
