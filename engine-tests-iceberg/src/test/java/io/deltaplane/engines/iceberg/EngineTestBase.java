package io.deltaplane.engines.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A test class of this suite: the shared platform and Spark session ({@link Engines}), and the
 * checks every table goes through — Spark's answers through the Iceberg door against Delta Kernel's
 * reading of the published log at the same Delta version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Engines.Shared.class)
abstract class EngineTestBase {

    static final String CATALOG = Engines.CATALOG;
    static final String SCHEMA = Engines.SCHEMA;

    Path work;
    Deltaplane platform;
    SparkIceberg spark;

    @BeforeAll
    void start(Engines engines) {
        work = engines.work;
        platform = engines.platform;
        spark = engines.spark;
    }

    /** {@code <catalog>.<schema>.<name>} for {@code /api/v1}. */
    static String deltaName(String name) {
        return CATALOG + "." + SCHEMA + "." + name;
    }

    /** {@code dp.<schema>.<name>} for Spark. */
    static String sparkName(String name) {
        return SparkIceberg.CATALOG + "." + SCHEMA + "." + name;
    }

    /**
     * The {@code snapshots} metadata table: exactly one snapshot per Delta version {@code 0 …
     * latest}, none twice; answers the snapshot ids by version.
     */
    Map<Long, Long> assertOneSnapshotPerVersion(String name, long latest) {
        List<Object[]> snapshots = spark.snapshots(sparkName(name));
        List<Long> versions = new ArrayList<>();
        snapshots.forEach(s -> versions.add((Long) s[0]));
        assertThat(versions)
                .as("the Delta version of each snapshot of %s, in commit order", name)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(0, latest).boxed().toList());
        return spark.snapshotsByVersion(sparkName(name));
    }

    /**
     * Checks 1 and 2 at every version: {@code SELECT *} at the version's snapshot ({@code VERSION AS
     * OF}) returns Kernel's rows at that version, and {@code SELECT count(*)} (which Iceberg answers
     * from its manifests' record counts) their number. Every version is read before anything is
     * asserted, so that a failure shows every version that differs.
     */
    void assertEveryVersionReadsAsKernel(String name, long latest) {
        String location = location(name);
        Map<Long, Long> snapshots = assertOneSnapshotPerVersion(name, latest);
        Map<Long, List<String>> sparkRows = new TreeMap<>();
        Map<Long, List<String>> kernelRows = new TreeMap<>();
        Map<Long, Long> sparkCounts = new TreeMap<>();
        Map<Long, Long> kernelCounts = new TreeMap<>();
        for (long v = 0; v <= latest; v++) {
            String asOf = sparkName(name) + " VERSION AS OF " + snapshots.get(v);
            sparkRows.put(v, SparkIceberg.rendered(spark.sql("SELECT * FROM " + asOf)));
            Dataset<Row> count = spark.sql("SELECT count(*) FROM " + asOf);
            assertThat(count.queryExecution().executedPlan().toString())
                    .as("count(*) at version %d of %s answered from the manifests' record counts", v, name)
                    .contains("LocalTableScan");
            sparkCounts.put(v, count.collectAsList().get(0).getLong(0));
            KernelSide.Version kernel = KernelSide.read(location, v);
            kernelRows.put(v, kernel.rendered());
            kernelCounts.put(v, (long) kernel.rows().size());
        }
        assertThat(sparkRows).as("SELECT * of %s by Delta version", name).isEqualTo(kernelRows);
        assertThat(sparkCounts)
                .as("SELECT count(*) of %s by Delta version", name)
                .isEqualTo(kernelCounts);
    }

    /**
     * Check 4 at the table's latest version: the {@code files} metadata table lists the live files
     * Kernel finds, and the {@code partitions} metadata table counts Kernel's rows per value of the
     * current partition columns (the fields of earlier partitionings are null for every live file).
     */
    void assertMetadataTablesAsKernel(String name, long latest) {
        assertMetadataTablesAsKernel(name, latest, Map.of());
    }

    /**
     * The same, with the Iceberg partition field of each renamed partition column named in {@code
     * fieldNames} (Kernel's column name to the field's name); the others are named as their column.
     */
    void assertMetadataTablesAsKernel(String name, long latest, Map<String, String> fieldNames) {
        String location = location(name);
        String locationPath = location.contains(":") ? URI.create(location).getPath() : location;
        String root = locationPath.endsWith("/") ? locationPath : locationPath + "/";
        List<String> icebergFiles = new ArrayList<>();
        for (Row row : spark.sql("SELECT file_path, content FROM " + sparkName(name) + ".files")
                .collectAsList()) {
            assertThat(row.getInt(1))
                    .as("content of %s (data)", row.getString(0))
                    .isZero();
            String path = URI.create(row.getString(0)).getPath();
            assertThat(path).as("a file of %s under its location", name).startsWith(root);
            icebergFiles.add(path.substring(root.length()));
        }
        Set<String> kernelFiles = new HashSet<>();
        KernelSide.livePaths(location, latest)
                .forEach(p -> kernelFiles.add(URI.create(p).getPath()));
        assertThat(icebergFiles)
                .as("the files metadata table of %s: Kernel's live files at version %d", name, latest)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(kernelFiles);

        KernelSide.Version kernel = KernelSide.read(location, latest);
        Map<String, Long> icebergCounts = new TreeMap<>();
        Dataset<Row> partitions = spark.sql("SELECT * FROM " + sparkName(name) + ".partitions");
        boolean partitioned = List.of(partitions.schema().fieldNames()).contains("partition");
        for (Row row : partitions.collectAsList()) {
            List<String> key = new ArrayList<>();
            if (partitioned) {
                Row partition = row.getStruct(row.fieldIndex("partition"));
                Map<String, Object> values = new HashMap<>();
                for (String field : partition.schema().fieldNames()) {
                    values.put(field, partition.get(partition.fieldIndex(field)));
                }
                for (String column : kernel.partitionColumns()) {
                    String field = fieldNames.getOrDefault(column, column);
                    assertThat(values).as("partition fields of %s", name).containsKey(field);
                    key.add(column + "=" + Rendering.value(values.remove(field)));
                }
                assertThat(values.values())
                        .as("the fields of earlier partitionings, for the live files of %s", name)
                        .allMatch(java.util.Objects::isNull);
            }
            long records = row.getLong(row.fieldIndex("record_count"));
            icebergCounts.merge(String.join("|", key), records, Long::sum);
        }
        icebergCounts.values().removeIf(count -> count == 0);
        assertThat(icebergCounts)
                .as("the partitions metadata table of %s: Kernel's rows per partition at version %d", name, latest)
                .isEqualTo(kernel.recordsByPartition());
    }

    String location(String name) {
        return platform.table(deltaName(name)).get("location").asString();
    }

    /** Commits and waits until the version is published (Kernel reads the published log). */
    long commit(String name, long expectedVersion, List<? extends JsonNode> actions) throws InterruptedException {
        long version = platform.commit(deltaName(name), expectedVersion, actions);
        platform.awaitPublished(deltaName(name), version);
        return version;
    }

    /** OPTIMIZE with the defaults, then waits until its version is published; answers that version. */
    long optimize(String name) throws InterruptedException {
        JsonNode result = platform.optimize(deltaName(name));
        assertThat(result.get("partitions_optimized").asInt())
                .as("OPTIMIZE of %s: %s", name, result)
                .isPositive();
        long version = platform.table(deltaName(name)).get("version").asLong();
        platform.awaitPublished(deltaName(name), version);
        return version;
    }
}
