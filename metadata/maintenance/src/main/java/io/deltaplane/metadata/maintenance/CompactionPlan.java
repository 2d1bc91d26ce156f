package io.deltaplane.metadata.maintenance;

import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import java.util.Map;

/**
 * The small files of one version of a table, grouped into bins: each bin's files are in one
 * partition and together at most the target size, and become one new file (two or more, rarely,
 * when compression differs).
 *
 * @param readVersion the version whose live files were planned
 * @param metadata the table's metaData action (JSON) when planned: a commit that changes it stales the plan
 */
record CompactionPlan(
        TableRow table,
        long readVersion,
        String metadata,
        List<String> partitionColumns,
        long targetFileSize,
        Map<String, String> where,
        List<Bin> bins) {

    /** A live data file as its add action names it. */
    record DataFile(String path, String objectPath, Map<String, String> partitionValues, long size) {}

    /**
     * Files of one partition to rewrite together.
     *
     * @param directory the add-path prefix of the partition (URI-encoded as in add paths, "" or ending in "/")
     */
    record Bin(Map<String, String> partitionValues, String directory, List<DataFile> files) {

        long bytes() {
            return files.stream().mapToLong(DataFile::size).sum();
        }
    }

    int partitions() {
        return (int) bins.stream().map(Bin::partitionValues).distinct().count();
    }

    List<DataFile> files() {
        return bins.stream().flatMap(b -> b.files().stream()).toList();
    }
}
