package io.deltaplane.ingest.delta;

import java.nio.file.Path;
import java.util.Map;

/**
 * One Parquet file a batch wrote, before and after it is uploaded: where it is staged locally, where
 * it goes in the table ({@code relativePath}, a plain path under the table location), and what its
 * add action says about it.
 *
 * @param stats Delta column statistics as JSON ({@code numRecords}, {@code minValues}, …)
 */
public record DataFile(
        Path staged, String relativePath, Map<String, String> partitionValues, long size, long rows, String stats) {

    public DataFile {
        partitionValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(partitionValues));
    }
}
