package io.deltaplane.engines;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
                throw new IllegalStateException("the engine tests' platform and Spark did not start", e);
            }
        }
    }
}
