package io.deltaplane.engines;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

/**
 * Spark with delta-spark in this JVM, as a data team's job runs it: Delta's session extension and
 * catalog, tables addressed by path ({@code delta.`/path`}). Everything it reads it reads from the
 * {@code _delta_log} the platform published, with Delta's own reader: the oracle the platform's
 * output is judged by.
 */
final class SparkEngine implements AutoCloseable {

    private final SparkSession spark;

    private SparkEngine(SparkSession spark) {
        this.spark = spark;
    }

    static SparkEngine start(Path workDir) {
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("deltaplane-engine-tests")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config(
                        "spark.sql.warehouse.dir",
                        workDir.resolve("spark-warehouse").toString())
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                // small tables on two cores: one task where Spark would plan hundreds
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .getOrCreate();
        return new SparkEngine(spark);
    }

    /** The Parquet files Spark wrote to {@code dir}, by name. */
    static List<Path> parquetFiles(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return new java.util.ArrayList<>(
                    files.filter(f -> f.getFileName().toString().endsWith(".parquet"))
                            .sorted()
                            .toList());
        }
    }

    /** Runs one SQL statement; {@code %s} in it becomes {@code delta.`<table>`}. */
    List<Row> sql(String statement, Path table) {
        return spark.sql(statement.formatted("delta.`" + table + "`")).collectAsList();
    }

    /** The table at {@code version} ({@code versionAsOf}), or at its latest version when negative. */
    Dataset<Row> read(Path table, long version) {
        var reader = spark.read().format("delta");
        if (version >= 0) {
            reader = reader.option("versionAsOf", version);
        }
        return reader.load(table.toString());
    }

    /** The change data feed from {@code startingVersion} on ({@code readChangeFeed}). */
    Dataset<Row> changes(Path table, long startingVersion) {
        return spark.read()
                .format("delta")
                .option("readChangeFeed", "true")
                .option("startingVersion", startingVersion)
                .load(table.toString());
    }

    /** Writes rows as plain Parquet files (not a Delta table) under {@code dir}, one per partition. */
    void writeParquet(Dataset<Row> rows, Path dir) {
        rows.write().parquet(dir.toString());
    }

    /** A Parquet file (a checkpoint, say) read as plain Parquet. */
    Dataset<Row> readParquet(Path file) {
        return spark.read().parquet(file.toString());
    }

    Dataset<Row> range(long start, long end, int files) {
        return spark.range(start, end, 1, files).toDF();
    }

    /** Delta's own view of the table's latest snapshot, read afresh (no cached log). */
    Snapshot snapshot(Path table) {
        DeltaLog.clearCache();
        return DeltaLog.forTableWithSnapshot(spark, table.toString())._2();
    }

    @Override
    public void close() {
        spark.stop();
    }
}
