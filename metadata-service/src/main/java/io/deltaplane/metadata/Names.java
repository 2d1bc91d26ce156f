package io.deltaplane.metadata;

/**
 * Kept while branches that still call it are merged.
 *
 * @deprecated use {@link io.deltaplane.support.names.Names}, the one name validator of every service.
 */
@Deprecated
public final class Names {
    private Names() {}

    public static String check(String kind, String name) {
        return io.deltaplane.support.names.Names.part(kind, name);
    }

    public static String[] split(String fullName, int parts, String kind) {
        return io.deltaplane.support.names.Names.split(fullName, parts, kind);
    }
}
