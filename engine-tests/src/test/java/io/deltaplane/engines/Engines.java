package io.deltaplane.engines;

import io.deltaplane.testing.SharedPerRun;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One platform (metadata-service's jar) and one Spark session for every engine test class: both are
 * started once, by the first class that asks, and closed when the last has run. Each class makes its
 * own tables in the {@value #CATALOG}.{@value #SCHEMA} schema.
 */
final class Engines implements AutoCloseable {

    static final String CATALOG = "engines";
    static final String SCHEMA = "spark";

    final Path work;
    final Deltaplane platform;
    final SparkEngine spark;

    private Engines(Path work, Deltaplane platform, SparkEngine spark) {
        this.work = work;
        this.platform = platform;
        this.spark = spark;
    }

    private static Engines start() throws Exception {
        Path work = Files.createTempDirectory(
                Files.createDirectories(Path.of("target", "engine-tests").toAbsolutePath()), "run-");
        Deltaplane platform = Deltaplane.start(work.resolve("warehouse"));
        try {
            SparkEngine spark = SparkEngine.start(work);
            platform.createSchema(CATALOG, SCHEMA);
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
            super(Engines.class, Engines::start, "the engine tests' platform and Spark");
        }
    }
}
