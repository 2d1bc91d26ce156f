package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.deltaplane.storage.Storage;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Paths in add/remove actions must stay inside the table's location. */
public final class TablePaths {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
    // Compiled once: String.split compiles a two-character class anew on every call (every add).
    private static final Pattern SEPARATORS = Pattern.compile("[/\\\\]");

    private TablePaths() {}

    /**
     * Accepts a relative path (URI-encoded, as the Delta protocol writes them) or an absolute URI
     * under {@code location}; rejects {@code ..}, absolute paths and other roots.
     */
    public static void check(String location, String path) {
        if (path == null || path.isEmpty()) {
            throw invalidAction("a file path must not be empty");
        }
        String relative = path;
        if (path.indexOf(':') > 0 && SCHEME.matcher(path).matches()) {
            String root = location.endsWith("/") ? location : location + "/";
            if (!path.startsWith(root) || path.length() == root.length()) {
                throw invalidAction("path " + path + " is outside the table location " + location);
            }
            relative = path.substring(root.length());
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(relative.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidAction("path " + path + " has an invalid percent-encoding");
        }
        if (decoded.startsWith("/") || decoded.startsWith("\\")) {
            throw invalidAction("path " + path + " is absolute; it must be relative to the table location");
        }
        for (String segment : SEPARATORS.split(decoded, -1)) {
            if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                throw invalidAction("path " + path + " escapes or is not normalised under the table location");
            }
        }
    }

    /**
     * The object an add's path names, only when it lies inside the table's location: a relative,
     * URI-encoded path (the protocol's usual form) without {@code ..}, or an absolute URI under the
     * location. Anything else is not the platform's to hand out.
     */
    public static Optional<String> objectPath(String location, Storage storage, String addPath) {
        if (addPath.contains("://") || addPath.startsWith("/")) {
            return addPath.startsWith(location + "/") && !addPath.contains("/../")
                    ? Optional.of(addPath)
                    : Optional.empty();
        }
        String decoded;
        try {
            decoded = new URI(addPath).getPath();
        } catch (java.net.URISyntaxException e) {
            decoded = addPath;
        }
        if (decoded == null || decoded.isEmpty() || ("/" + decoded + "/").contains("/../")) {
            return Optional.empty();
        }
        return Optional.of(storage.resolve(location, decoded));
    }

    /**
     * Delta's rule for what is not data: a path with a segment starting with {@code _} or {@code .}
     * ({@code _delta_log}, {@code _tmp}, {@code .crc} files), partition folders ({@code _p=1}) aside.
     */
    public static boolean hidden(String relative) {
        for (String segment : relative.split("/")) {
            if ((segment.startsWith("_") || segment.startsWith(".")) && !segment.contains("=")) {
                return true;
            }
        }
        return false;
    }
}
