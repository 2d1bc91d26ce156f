package io.deltaplane.metadata.maintenance;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * What one OPTIMIZE did: the version it committed (absent when there was nothing to compact),
 * the files and bytes it removed and added, and how long it took.
 */
public record OptimizeResult(
        String table,

        @Schema(description = "the version OPTIMIZE committed; absent when no partition had two small files")
        Long version,

        @Schema(description = "the version whose files were compacted")
        long readVersion,

        Map<String, String> where,
        long targetFileSizeBytes,
        int partitionsOptimized,
        int filesRemoved,
        int filesAdded,
        long bytesRemoved,
        long bytesAdded,

        @Schema(description = "plans made: more than one when a concurrent change removed a file being compacted")
        int attempts,

        long durationMs) {}
