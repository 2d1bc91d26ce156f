package io.deltaplane.metadata.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * OPTIMIZE given less memory than DuckDB needs for one rewrite: the files are fine, the attempt is
 * not — a 503 the caller can retry (or the operator fix), never a 422 blaming the table's files,
 * and nothing committed or left beside them.
 */
@TestPropertySource(properties = "deltaplane.maintenance.rewrite-memory=1MB")
class OptimizeOutOfMemoryTest extends MaintenanceTestBase {

    @Test
    void aRewriteOutOfMemoryIsA503AndChangesNothing() throws Exception {
        Lake lake = lake("local");
        for (int i = 0; i < 4; i++) {
            append(lake, "2026-11-01", i * 20_000L, 20_000);
        }
        long before = version(lake.table());

        var outOfMemory = http.post("/api/v1/tables/" + lake.table() + "/optimize", "{}");

        assertProblem(outOfMemory, 503, "SERVICE_UNAVAILABLE");
        assertThat(outOfMemory.body()).contains("ran out of memory", "rewrite-memory");
        assertThat(version(lake.table())).isEqualTo(before);
        assertThat(livePaths(lake.table(), null, 100)).hasSize(4);
        assertThat(lake.storage().filesUnder(lake.location()))
                .as("nothing written beside the table's files")
                .filteredOn(f -> !f.name().startsWith("_delta_log/"))
                .hasSize(4);
    }
}
