package io.deltaplane.engines.iceberg;

import io.deltaplane.testing.SharedPerRun;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One platform (metadata-service and the gateway, as jars) and one Spark session for every test
 * class: both started once, by the first class that asks, and closed when the last has run. Every
 * table lives in {@value #CATALOG}.{@value #SCHEMA}; the Spark catalog {@code dp} has {@value
 * #CATALOG} as its warehouse.
 */
final class Engines implements AutoCloseable {

    static final String CATALOG = "iceberg_oracle";
    static final String SCHEMA = "s";

    final Path work;
    final Deltaplane platform;
    final SparkIceberg spark;

    private Engines(Path work, Deltaplane platform, SparkIceberg spark) {
        this.work = work;
        this.platform = platform;
        this.spark = spark;
    }

    private static Engines start() throws Exception {
        Path work = Files.createTempDirectory(
                Files.createDirectories(
                        Path.of("target", "engine-tests-iceberg").toAbsolutePath()),
                "run-");
        Deltaplane platform = Deltaplane.start(work.resolve("warehouse"));
        try {
            platform.createCatalogAndSchema(CATALOG, SCHEMA);
            SparkIceberg spark = SparkIceberg.start(work, platform.gatewayPort(), CATALOG, Deltaplane.ADMIN_KEY);
            return new Engines(work, platform, spark);
        } catch (Exception | Error e) {
            platform.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            spark.close();
        } finally {
            platform.close();
        }
    }

    /** Resolves an {@link Engines} parameter to the one shared by every class of the run. */
    static final class Shared extends SharedPerRun<Engines> {
        Shared() {
            super(Engines.class, Engines::start, "the platform and Spark");
        }
    }
}
