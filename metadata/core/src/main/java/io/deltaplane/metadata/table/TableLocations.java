package io.deltaplane.metadata.table;

import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.InvalidField;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Table locations are {@code file:/absolute/path} URIs, or object store URIs ({@code s3://bucket/p},
 * {@code abfss://container@account.dfs.core.windows.net/p}, {@code az://}, {@code wasbs://}),
 * without a trailing slash.
 */
public final class TableLocations {

    /**
     * Where the platform keeps a table's Iceberg metadata under its location: a hidden folder (a
     * segment starting with {@code _}), which every Delta engine's VACUUM and reader pass over, as
     * they do {@code _delta_log}; purging a table deletes it with the log.
     */
    public static final String ICEBERG_FOLDER = "_iceberg";

    private TableLocations() {}

    public static String of(Path directory) {
        String uri = directory.toAbsolutePath().normalize().toUri().getRawPath();
        return "file:" + stripSlash(uri);
    }

    /** Normalises a client-given location; 400 for relative paths, {@code ..} or other schemes. */
    public static String normalise(String location) {
        if (location.length() > MAX_LOCATION_LENGTH) {
            // an object key is at most 1,024 bytes, and the log's files go below the location
            throw InvalidField.problem(
                    "location", "must be at most " + MAX_LOCATION_LENGTH + " characters, got " + location.length());
        }
        try {
            if (location.startsWith("/")) {
                return of(Path.of(location));
            }
            if (Storages.isObjectStore(location)) {
                return objectStore(location);
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

    /** True for an S3 or Azure location (no local directory). */
    public static boolean isObjectStore(String location) {
        return Storages.isObjectStore(location);
    }

    private static String objectStore(String location) throws URISyntaxException {
        URI uri = new URI(location);
        String path = uri.getRawPath();
        if (uri.getRawAuthority() == null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || path == null
                || path.contains("//")
                || path.contains("/./")
                || path.contains("/../")
                || path.endsWith("/..")
                || path.endsWith("/.")) {
            throw invalid(location);
        }
        return uri.getScheme() + "://" + uri.getRawAuthority() + stripSlash(path);
    }

    /** The local directory of a location. */
    public static Path path(String location) {
        return Path.of(URI.create(location));
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Deletes a local directory and everything in it (links themselves, never what they point to);
     * nothing when it does not exist.
     */
    public static void deleteDirectory(java.nio.file.Path root) {
        if (!java.nio.file.Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path p :
                    paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not delete " + root, e);
        }
    }

    /** The longest table location taken (an S3 or Azure key is at most 1,024 characters, with the log below it). */
    public static final int MAX_LOCATION_LENGTH = 900;

    private static ApiException invalid(String location) {
        return InvalidField.problem(
                "location",
                "must be a file:/absolute/path, s3://bucket/path or abfss://container@account.dfs.core.windows.net/path URI, got: "
                        + location);
    }

    /** Whether anything is under {@code location}'s {@code _delta_log} (a dropped table's, another engine's). */
    public static boolean holdsDeltaLog(Storages storages, String location) {
        try {
            io.deltaplane.storage.Storage storage = storages.forLocation(location);
            return !storage.list(storage.resolve(location, "_delta_log")).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
