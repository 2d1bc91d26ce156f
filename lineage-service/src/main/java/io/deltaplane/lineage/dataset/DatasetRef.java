package io.deltaplane.lineage.dataset;

/**
 * How the API names a dataset: {@code name}, or {@code namespace::name} when the same name exists
 * in several OpenLineage namespaces (a name alone finds the platform's own {@code default} namespace
 * first, else the oldest dataset of that name).
 */
public record DatasetRef(String namespace, String name) {

    static final String SEPARATOR = "::";

    /** The id of the dataset a reference names; bind {@code :namespace} (may be null) and {@code :name}. */
    public static final String RESOLVE_ID = "SELECT id FROM tracked_tables WHERE name = :name"
            + " AND (CAST(:namespace AS text) IS NULL OR namespace = CAST(:namespace AS text))"
            + " ORDER BY (namespace = 'default') DESC, id LIMIT 1";

    public static DatasetRef parse(String ref) {
        int at = ref.lastIndexOf(SEPARATOR);
        if (at <= 0 || at + SEPARATOR.length() >= ref.length()) {
            return new DatasetRef(null, ref);
        }
        return new DatasetRef(ref.substring(0, at), ref.substring(at + SEPARATOR.length()));
    }
}
