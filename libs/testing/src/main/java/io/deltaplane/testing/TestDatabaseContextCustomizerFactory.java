package io.deltaplane.testing;

import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context at this JVM's {@link TestDatabase}, so no test can touch a real
 * {@code deltaplane} database by accident. Registered in {@code META-INF/spring.factories}.
 */
public final class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return new TestDatabaseCustomizer();
    }

    private static final class TestDatabaseCustomizer implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestDatabase db = TestDatabase.get();
            context.getEnvironment()
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "deltaplaneTestDatabase",
                            Map.of(
                                    "deltaplane.db.url", db.url(),
                                    "deltaplane.db.user", db.user(),
                                    "deltaplane.db.password", db.password(),
                                    // one connection kept per idle pool: a JVM caches several
                                    // contexts, and several test JVMs share one Postgres
                                    "deltaplane.db.min-idle", TestDatabase.MIN_IDLE,
                                    "deltaplane.db.idle-timeout", TestDatabase.IDLE_TIMEOUT)));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TestDatabaseCustomizer;
        }

        @Override
        public int hashCode() {
            return TestDatabaseCustomizer.class.hashCode();
        }
    }
}
