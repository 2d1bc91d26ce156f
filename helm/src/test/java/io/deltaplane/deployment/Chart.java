package io.deltaplane.deployment;

import static io.deltaplane.deployment.Yamls.at;
import static io.deltaplane.deployment.Yamls.map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Renders helm/deltaplane with helm-java ({@code helm template}) and finds objects in the output. */
final class Chart {

    static final String RELEASE = "dp";
    static final String NAMESPACE = "data";
    /** A supported Kubernetes version (the chart needs 1.25+; helm template defaults to 1.20). */
    static final String KUBE_VERSION = "v1.30.0";

    /** The values an operator must give (see values.yaml): database host and the two Secrets. */
    static Map<String, Object> requiredValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("database", Map.of("host", "pg.example.internal", "existingSecret", "deltaplane-db"));
        values.put("auth", Map.of("existingSecret", "deltaplane-auth"));
        return values;
    }

    private Chart() {}

    /** Renders with the given values file contents (merged over the chart's values.yaml by Helm). */
    static Rendered render(Map<String, Object> values) {
        Path file = writeValues(values);
        try {
            TemplateCommand template = new Helm(Repository.CHART)
                    .template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION)
                    .withValuesFile(file);
            return new Rendered(Yamls.loadAll(template.call()));
        } finally {
            delete(file);
        }
    }

    /** The notes an install prints (a client-only dry run: no cluster), with the given values. */
    static String installNotes(Map<String, Object> values) {
        Path file = writeValues(values);
        try {
            return new Helm(Repository.CHART)
                    .install()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion(KUBE_VERSION)
                    .withValuesFile(file)
                    .clientOnly()
                    .dryRun()
                    .call()
                    .getOutput();
        } finally {
            delete(file);
        }
    }

    static Path writeValues(Map<String, Object> values) {
        try {
            Path file = Files.createTempFile("deltaplane-values", ".yaml");
            Files.writeString(file, Yamls.yaml().dump(values));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deep merge: {@code override}'s leaves win; maps merge. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> result = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object existing = result.get(key);
            if (existing instanceof Map && value instanceof Map) {
                result.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) value));
            } else {
                result.put(key, value);
            }
        });
        return result;
    }

    /** The objects of one rendering. */
    record Rendered(List<Map<String, Object>> objects) {

        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> get(String kind, String name) {
            return find(kind, name)
                    .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in " + names()));
        }

        Optional<Map<String, Object>> find(String kind, String name) {
            return ofKind(kind).stream()
                    .filter(o -> Objects.equals(name, at(o, "metadata.name")))
                    .findFirst();
        }

        List<String> names() {
            return objects.stream()
                    .map(o -> o.get("kind") + "/" + at(o, "metadata.name"))
                    .toList();
        }

        /** The single container of an app's Deployment. */
        Map<String, Object> container(String app) {
            List<Object> containers =
                    Yamls.listAt(get("Deployment", RELEASE + "-deltaplane-" + app), "spec.template.spec.containers");
            if (containers.size() != 1) {
                throw new AssertionError(app + " should run one container, has " + containers.size());
            }
            return map(containers.get(0));
        }
    }
}
