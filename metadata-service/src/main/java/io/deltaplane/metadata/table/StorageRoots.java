package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where tables may live, as Unity Catalog's storage roots: a table without a location gets its own
 * directory under the warehouse root (a <em>managed</em> location, the platform's to delete); a table
 * with an explicit location, or an imported one, must lie strictly under a storage root the operator
 * allowed ({@code DELTAPLANE_STORAGE_ROOTS}, plus the warehouse root). No table's location may
 * overlap another's — neither the same, nor inside it, nor above it — and a location is a directory
 * or does not exist yet. Locations are normalised before any comparison.
 */
@Component
public class StorageRoots {

    /** A table whose location equals, contains or lies inside {@code :location}. */
    static final String OVERLAPPING = """
            SELECT catalog || '.' || schema || '.' || name FROM tables
            WHERE location = :location
               OR starts_with(location, :location || '/')
               OR starts_with(:location, location || '/')
            LIMIT 1""";

    private final Path warehouse;
    private final List<Path> roots;
    private final JdbcClient jdbc;

    public StorageRoots(WarehouseProperties properties, JdbcClient jdbc) {
        this.warehouse = properties.rootPath();
        List<Path> roots = new ArrayList<>();
        roots.add(warehouse);
        for (String root : properties.storageRoots()) {
            roots.add(TableLocations.path(TableLocations.normalise(root)));
        }
        this.roots = List.copyOf(roots);
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The managed location of a new table, checked for overlaps like any other. */
    public String managed(String catalog, String schema, String table) {
        String location = managedLocation(catalog, schema, table);
        requireNoOverlap(location);
        return location;
    }

    /** Whether {@code location} is the platform's own directory for that table (purge may remove it whole). */
    public boolean isManaged(String catalog, String schema, String table, String location) {
        return managedLocation(catalog, schema, table).equals(location);
    }

    /** A client-given location, normalised, once it passes every rule; 422 otherwise. */
    public String external(String requested) {
        String location = TableLocations.normalise(requested);
        Path path = TableLocations.path(location);
        boolean under = roots.stream().anyMatch(root -> path.startsWith(root) && !path.equals(root));
        if (!under) {
            throw notAllowed(location + " is not under a storage root (allowed: " + roots
                    + "; an operator adds roots with DELTAPLANE_STORAGE_ROOTS)");
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw notAllowed(location + " is a file; a table location is a directory");
        }
        if (Files.isSymbolicLink(path)) {
            throw notAllowed(location + " is a symbolic link");
        }
        requireNoOverlap(location);
        return location;
    }

    private void requireNoOverlap(String location) {
        Optional<String> other = jdbc.sql(OVERLAPPING)
                .param("location", location)
                .query(String.class)
                .optional();
        other.ifPresent(table -> {
            throw notAllowed(location + " overlaps the location of table " + table
                    + " (a table's location may be neither inside nor above another's)");
        });
    }

    private String managedLocation(String catalog, String schema, String table) {
        return TableLocations.of(warehouse.resolve(catalog).resolve(schema).resolve(table));
    }

    private static ApiException notAllowed(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, ErrorCode.LOCATION_NOT_ALLOWED, detail);
    }
}
