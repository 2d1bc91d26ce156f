package io.deltaplane.engines.iceberg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * Spark 4.1 with Iceberg's Spark runtime in this JVM, configured as docs/iceberg.md tells a user
 * to: a catalog {@value #CATALOG} of {@code org.apache.iceberg.spark.SparkCatalog}, {@code
 * type=rest}, pointed at the gateway's Iceberg REST door with a Deltaplane catalog as its warehouse
 * and the admin key as its token. Nothing of the platform's code or Delta's is involved in what it
 * reads: the Iceberg metadata the door serves, and the Parquet files.
 */
final class SparkIceberg implements AutoCloseable {

    /** The Spark catalog's name: tables are {@code dp.<schema>.<table>}. */
    static final String CATALOG = "dp";

    private final SparkSession spark;

    private SparkIceberg(SparkSession spark) {
        this.spark = spark;
    }

    static SparkIceberg start(Path workDir, int gatewayPort, String warehouse, String token) {
        String catalog = "spark.sql.catalog." + CATALOG;
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("deltaplane-engine-tests-iceberg")
                .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
                .config(catalog + ".type", "rest")
                .config(catalog + ".uri", "http://localhost:" + gatewayPort + "/api/2.1/unity-catalog/iceberg")
                .config(catalog + ".warehouse", warehouse)
                .config(catalog + ".token", token)
                // every query loads the table afresh: the platform commits between the queries
                .config(catalog + ".cache-enabled", "false")
                .config(
                        "spark.sql.warehouse.dir",
                        workDir.resolve("spark-warehouse").toString())
                // dates and timestamps as java.time values, timestamps shown in UTC
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                // small tables on two cores: one task where Spark would plan hundreds
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        return new SparkIceberg(spark);
    }

    org.apache.spark.sql.DataFrameReader read() {
        return spark.read();
    }

    Dataset<Row> sql(String statement) {
        return spark.sql(statement);
    }

    /** The rows of a query rendered ({@link Rendering#row}), sorted. */
    static List<String> rendered(Dataset<Row> rows) {
        List<String> rendered = new ArrayList<>();
        for (Map<String, Object> row : values(rows)) {
            rendered.add(Rendering.row(row));
        }
        rendered.sort(null);
        return rendered;
    }

    /** Each row's columns by name, in the query's schema order. */
    static List<Map<String, Object>> values(Dataset<Row> rows) {
        StructField[] fields = rows.schema().fields();
        List<Map<String, Object>> all = new ArrayList<>();
        for (Row row : rows.collectAsList()) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i++) {
                values.put(fields[i].name(), row.get(i));
            }
            all.add(values);
        }
        return all;
    }

    /**
     * The table's Iceberg snapshots by the Delta version in their summary ({@code
     * deltaplane.delta-version}), from the {@code snapshots} metadata table; every snapshot listed,
     * in commit order, as {@code [version, snapshot id, operation]}.
     */
    List<Object[]> snapshots(String table) {
        List<Object[]> snapshots = new ArrayList<>();
        for (Row row : spark.sql("SELECT summary['deltaplane.delta-version'], snapshot_id, operation FROM " + table
                        + ".snapshots ORDER BY committed_at, snapshot_id")
                .collectAsList()) {
            snapshots.add(new Object[] {
                row.isNullAt(0) ? null : Long.parseLong(row.getString(0)), row.getLong(1), row.getString(2)
            });
        }
        return snapshots;
    }

    /** Snapshot ids by Delta version (the last one listed for a version, should there be two). */
    Map<Long, Long> snapshotsByVersion(String table) {
        Map<Long, Long> byVersion = new TreeMap<>();
        for (Object[] snapshot : snapshots(table)) {
            if (snapshot[0] != null) {
                byVersion.put((Long) snapshot[0], (Long) snapshot[1]);
            }
        }
        return byVersion;
    }

    @Override
    public void close() {
        spark.stop();
    }
}
