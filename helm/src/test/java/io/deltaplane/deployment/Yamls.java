package io.deltaplane.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/** Small helpers for walking parsed YAML (maps, lists and scalars). */
final class Yamls {

    private Yamls() {}

    static Yaml yaml() {
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        LoaderOptions load = new LoaderOptions();
        load.setAllowDuplicateKeys(false); // Kubernetes rejects duplicate fields; so do we
        return new Yaml(new SafeConstructor(load), new Representer(dump), dump);
    }

    static Map<String, Object> load(Path file) {
        try {
            return yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty document of a multi-document stream ({@code helm template} output). */
    static List<Map<String, Object>> loadAll(String documents) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (Object doc : yaml().loadAll(documents)) {
            if (doc != null) {
                result.add(map(doc));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        if (!(node instanceof Map)) {
            throw new AssertionError("expected a mapping, got " + node);
        }
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        if (!(node instanceof List)) {
            throw new AssertionError("expected a sequence, got " + node);
        }
        return (List<Object>) node;
    }

    /** The node at a dotted path ({@code spec.template.spec}); null when any step is missing. */
    static Object at(Object node, String path) {
        Object current = node;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(step);
        }
        return current;
    }

    static Map<String, Object> mapAt(Object node, String path) {
        return map(at(node, path));
    }

    static List<Object> listAt(Object node, String path) {
        Object value = at(node, path);
        return value == null ? List.of() : list(value);
    }
}
