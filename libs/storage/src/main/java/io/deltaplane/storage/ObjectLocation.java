package io.deltaplane.storage;

/**
 * An object store location split into its container (S3 bucket, Azure container), the account
 * (Azure only; may be empty) and the key inside the container (no leading slash, may be empty).
 */
record ObjectLocation(String scheme, String account, String container, String key) {

    static ObjectLocation parse(String location) {
        int sep = location.indexOf("://");
        if (sep < 0) {
            throw new IllegalArgumentException("Not an object store location: " + location);
        }
        String scheme = location.substring(0, sep);
        String rest = location.substring(sep + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : stripSlashes(rest.substring(slash + 1));
        String container = authority;
        String account = "";
        int at = authority.indexOf('@');
        if (at >= 0) { // abfss://container@account.dfs.core.windows.net/…
            container = authority.substring(0, at);
            String host = authority.substring(at + 1);
            int dot = host.indexOf('.');
            account = dot < 0 ? host : host.substring(0, dot);
        }
        if (container.isEmpty()) {
            throw new IllegalArgumentException("No bucket or container in location: " + location);
        }
        return new ObjectLocation(scheme, account, container, key);
    }

    /** {@code location} joined with a relative {@code name}, one slash between. */
    static String join(String location, String name) {
        String base = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        String rel = stripSlashes(name);
        return rel.isEmpty() ? base : base + "/" + rel;
    }

    /** The key as a listing prefix: "" for the container root, else "key/". */
    String directoryPrefix() {
        return key.isEmpty() ? "" : key + "/";
    }

    private static String stripSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
