package io.deltaplane.metadata.table;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.InvalidField;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Table locations are {@code file:/absolute/path} URIs without a trailing slash. */
public final class TableLocations {

    private TableLocations() {}

    public static String of(Path directory) {
        String uri = directory.toAbsolutePath().normalize().toUri().getRawPath();
        return "file:" + stripSlash(uri);
    }

    /** Normalises a client-given location; 400 for relative paths, {@code ..} or other schemes. */
    public static String normalise(String location) {
        try {
            if (location.startsWith("/")) {
                return of(Path.of(location));
            }
            URI uri = new URI(location);
            if (!"file".equals(uri.getScheme())
                    || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/")) {
                throw invalid(location);
            }
            if (uri.getRawPath().contains("/../") || uri.getRawPath().endsWith("/..")) {
                throw invalid(location);
            }
            return of(Path.of(uri));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw invalid(location);
        }
    }

    /** The local directory of a location. */
    public static Path path(String location) {
        return Path.of(URI.create(location));
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static ApiException invalid(String location) {
        return InvalidField.problem("location", "must be a file:/absolute/path URI, got: " + location);
    }
}
