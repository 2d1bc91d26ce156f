package io.deltaplane.storage;

import java.net.URI;
import java.nio.file.Path;

/** Table locations as the local file system sees them: {@code file:/abs/dir} or a plain path. */
public final class StoragePaths {

    private StoragePaths() {}

    public static boolean isLocal(String location) {
        if (location == null || location.isBlank()) {
            return false;
        }
        if (location.startsWith("file:")) {
            return true;
        }
        int colon = location.indexOf(':');
        int slash = location.indexOf('/');
        // "s3://…", "abfss://…" have a scheme; "/a/b", "rel/dir" and "C:\…" style do not count as one.
        return colon < 0 || (slash >= 0 && slash < colon) || colon == 1;
    }

    public static Path toPath(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(normalizeFileUri(location))).normalize();
        }
        return Path.of(location).toAbsolutePath().normalize();
    }

    /** {@code file:/abs/dir} for a local location, the form table locations are stored in. */
    public static String toFileUri(String location) {
        String path = toPath(location).toUri().getRawPath();
        return "file:" + (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    private static String normalizeFileUri(String location) {
        // "file:/a", "file:///a" are both fine for URI; "file:relative" is not, make it absolute.
        String rest = location.substring("file:".length());
        if (!rest.startsWith("/")) {
            return Path.of(rest).toAbsolutePath().toUri().toString();
        }
        return location.replace(" ", "%20");
    }
}
