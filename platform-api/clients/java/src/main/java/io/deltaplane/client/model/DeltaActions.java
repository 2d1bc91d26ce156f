package io.deltaplane.client.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delta log actions for {@code tables().commit(…)}, with the Delta protocol's own field names
 * ({@code partitionValues}, {@code dataChange}, …).
 */
public final class DeltaActions {

    private DeltaActions() {}

    /** An {@code add} of a data file (path relative to the table location). */
    public static Map<String, Object> add(String path, long size, Map<String, String> partitionValues) {
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", path);
        add.put("partitionValues", partitionValues);
        add.put("size", size);
        add.put("modificationTime", System.currentTimeMillis());
        add.put("dataChange", true);
        return Map.of("add", add);
    }

    public static Map<String, Object> add(String path, long size) {
        return add(path, size, Map.of());
    }

    /** A {@code remove} of a file that is active in the table. */
    public static Map<String, Object> remove(String path) {
        Map<String, Object> remove = new LinkedHashMap<>();
        remove.put("path", path);
        remove.put("deletionTimestamp", System.currentTimeMillis());
        remove.put("dataChange", true);
        return Map.of("remove", remove);
    }
}
