package io.deltaplane.deployment;

import io.deltaplane.storage.Storages;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/** Environment variables an app reads besides the {@code ${NAME}} placeholders of its configuration. */
final class Settings {

    /** Read by the {@code java} launcher itself (the images and the chart size the heap with it). */
    static final String JVM_OPTIONS = "JDK_JAVA_OPTIONS";

    /**
     * Read in code rather than through configuration, per app: the ingest worker reads MOTHERDUCK_TOKEN
     * when it opens md:<database>, and a mapping names the variable holding its Event Hubs connection
     * string (source.connection_string_env; DELTAPLANE_SECRET_EVENTHUBS is the name the examples use).
     * metadata-service and the ingest worker (Delta targets) read the AWS and Azure SDKs' own
     * variables for object storage (Storages.ENVIRONMENT_VARIABLES in libs/storage).
     */
    static final Map<String, Set<String>> RUNTIME = Map.of(
            "ingest-worker",
            union(Set.of("MOTHERDUCK_TOKEN", "DELTAPLANE_SECRET_EVENTHUBS"), Storages.ENVIRONMENT_VARIABLES),
            "metadata-service",
            Set.copyOf(Storages.ENVIRONMENT_VARIABLES),
            "lineage-service",
            Set.copyOf(Storages.ENVIRONMENT_VARIABLES));

    /**
     * Settings an app reads on a branch not yet merged here, which the deployment files may set ahead of
     * the merge (empty now: every app's settings are on main). Remove a name once the app's
     * configuration on this branch reads it; the tests then check it like any other.
     */
    static final Map<String, Set<String>> ANNOUNCED = Map.of();

    private Settings() {}

    private static Set<String> union(Set<String> a, java.util.Collection<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Every variable the app may legitimately be given. */
    static Set<String> accepted(App app) {
        Set<String> names = new TreeSet<>(app.settings().keySet());
        names.add(JVM_OPTIONS);
        names.addAll(supportProperties());
        names.addAll(RUNTIME.getOrDefault(app.component(), Set.of()));
        names.addAll(ANNOUNCED.getOrDefault(app.component(), Set.of()));
        return names;
    }

    /**
     * The environment names Spring's relaxed binding maps onto the shared {@code @ConfigurationProperties}
     * records of libs/support: {@code deltaplane.db} + {@code maxPoolSize} -> DELTAPLANE_DB_MAXPOOLSIZE.
     */
    static Set<String> supportProperties() {
        Set<String> names = new TreeSet<>();
        for (Class<?> type : configurationPropertiesTypes()) {
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            String envPrefix = prefix.toUpperCase().replace('.', '_').replace("-", "");
            for (var component : type.getRecordComponents()) {
                names.add(envPrefix + "_" + component.getName().toUpperCase());
            }
        }
        return names;
    }

    static Set<Class<?>> configurationPropertiesTypes() {
        var scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<Class<?>> types = new LinkedHashSet<>();
        for (var candidate : scanner.findCandidateComponents("io.deltaplane.support")) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), Settings.class.getClassLoader());
            if (type.isRecord()) {
                types.add(type);
            }
        }
        if (types.isEmpty()) {
            throw new AssertionError("no @ConfigurationProperties records found in io.deltaplane.support");
        }
        return types;
    }
}
