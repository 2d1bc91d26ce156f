package io.deltaplane.metadata.maintenance;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * {@code POST /api/v1/tables/{full_name}/optimize}: compacts the table's small files (Delta's
 * bin-packing OPTIMIZE). The body is optional.
 *
 * @param where partition values to compact, by partition column ({@code {"day": "2026-11-01"}});
 *     every partition when absent
 * @param targetFileSizeBytes the size of the files to write, and the size under which a file is
 *     small; default the table's {@code delta.targetFileSize}, else the platform's (1 GiB, Delta's)
 */
public record OptimizeRequest(
        @Schema(description = "partition column → value; only these partitions are compacted (all when absent)")
        Map<String, String> where,

        @Schema(
                description = "bytes per written file, and the size under which a file is small; default"
                        + " the table's delta.targetFileSize, else the platform's (1 GiB)",
                minimum = "1024")
        Long targetFileSizeBytes) {

    static final OptimizeRequest EVERYTHING = new OptimizeRequest(null, null);
}
