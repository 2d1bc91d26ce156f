package io.deltaplane.engines.iceberg;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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

    /** Resolves an {@link Engines} parameter to the one shared by every class. */
    static final class Shared implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Engines.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Engines.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // the root context's store lives until the last class has run, and closes what it holds
            return context.getRoot()
                    .getStore(NAMESPACE)
                    .computeIfAbsent(Engines.class, key -> startOrFail(), Engines.class);
        }

        private static Engines startOrFail() {
            try {
                return start();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the platform and Spark did not start", e);
            }
        }
    }
}
