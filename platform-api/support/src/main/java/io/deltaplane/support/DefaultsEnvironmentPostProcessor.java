package io.deltaplane.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code deltaplane-defaults.properties} behind every other property source: the shared
 * defaults (env variable names, JSON style, actuator exposure, log pattern) that a service's own
 * configuration or the environment can still override.
 */
public final class DefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String RESOURCE = "deltaplane-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            new PropertiesPropertySourceLoader()
                    .load("deltaplaneDefaults", new ClassPathResource(RESOURCE))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
