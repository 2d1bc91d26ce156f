package io.deltaplane.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds {@code deltaplane-defaults.properties} as the lowest-precedence settings: the shared
 * defaults (env variable names, JSON style, actuator exposure, log pattern). They are merged into
 * Spring Boot's "defaultProperties" below whatever a program set there itself
 * ({@code SpringApplicationBuilder.properties(…)}), so application.yml, the environment, the
 * command line and code-given defaults all override them.
 */
public final class DefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String RESOURCE = "deltaplane-defaults.properties";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> merged = new LinkedHashMap<>(loadDefaults());
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> existing = sources.get(DefaultPropertiesPropertySource.NAME);
        if (existing instanceof EnumerablePropertySource<?> given) {
            for (String name : given.getPropertyNames()) {
                merged.put(name, given.getProperty(name)); // the program's own defaults win
            }
            sources.replace(DefaultPropertiesPropertySource.NAME, new DefaultPropertiesPropertySource(merged));
        } else {
            sources.addLast(new DefaultPropertiesPropertySource(merged));
        }
    }

    private static Map<String, Object> loadDefaults() {
        Properties properties = new Properties();
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> defaults.put(name, properties.getProperty(name)));
        return defaults;
    }
}
