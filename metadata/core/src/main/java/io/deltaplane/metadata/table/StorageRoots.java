package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Caller;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.springframework.beans.factory.ObjectProvider;
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

    /** The external locations that equal or contain {@code :location}. */
    static final String LOCATIONS_COVERING = """
            SELECT name FROM external_locations
            WHERE url = :location OR starts_with(:location, url || '/')
            ORDER BY name""";

    /** A dropped managed table's directory that equals, contains or lies inside {@code :location}. */
    static final String DROPPED_OVERLAPPING = """
            SELECT full_name, dropped_by FROM dropped_locations
            WHERE location = :location
               OR starts_with(location, :location || '/')
               OR starts_with(:location, location || '/')
            LIMIT 1""";

    /** A location staged for a catalog-managed table that equals, contains or lies inside {@code :location}. */
    static final String STAGED_OVERLAPPING = """
            SELECT catalog || '.' || schema || '.' || name FROM unity_tables
            WHERE location = :location
               OR starts_with(location, :location || '/')
               OR starts_with(:location, location || '/')
            LIMIT 1""";

    /** The catalog's own storage root ({@code storage_root} at create), if it has one. */
    static final String CATALOG_ROOT = "SELECT storage_root FROM catalogs WHERE name = :catalog";

    static final String CATALOG_ID_AND_ROOT = "SELECT id, storage_root FROM catalogs WHERE name = :catalog";

    /** The warehouse as a location ({@code file:/…} or an object store URI). */
    private final String warehouse;

    private final List<Path> roots;
    /** Object store roots ({@code s3://bucket/prefix}, {@code abfss://…}), compared as strings. */
    private final List<String> objectRoots;

    private final JdbcClient jdbc;
    private final ObjectProvider<AccessControl> access;
    private final LocationClaims claims;

    public StorageRoots(
            WarehouseProperties properties,
            JdbcClient jdbc,
            ObjectProvider<AccessControl> access,
            LocationClaims claims) {
        this.claims = claims;
        this.warehouse = properties.location();
        List<Path> roots = new ArrayList<>();
        List<String> objectRoots = new ArrayList<>();
        if (properties.onObjectStore()) {
            objectRoots.add(warehouse);
        } else {
            roots.add(properties.rootPath());
        }
        for (String root : properties.storageRoots()) {
            String normalised = TableLocations.normalise(root);
            if (TableLocations.isObjectStore(normalised)) {
                objectRoots.add(normalised);
            } else {
                roots.add(TableLocations.path(normalised));
            }
        }
        this.roots = List.copyOf(roots);
        this.objectRoots = List.copyOf(objectRoots);
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.access = requireNonNull(access, "access");
    }

    /**
     * The managed location of a new table whose id (Unity Catalog's table id) is {@code id}. Under a
     * catalog with a storage root, as Unity Catalog places one: {@code <catalog storage
     * root>/__unitystorage/catalogs/<catalog id>/tables/<id>} — a directory of its own by its id, so
     * no name, no dropped table and no other catalog on the same root ever shares it. In the
     * warehouse: {@code <warehouse>/<catalog>/<schema>/<table>} when that directory is free — no
     * table, staged table or dropped table's kept files in, inside or above it, and no {@code
     * _delta_log} there ({@code holdsDeltaLog}) — else {@code …/<table>-<id>}, so a dropped table's
     * directory is never a new table's and drop-and-recreate works. Checked to overlap nothing (422).
     */
    public String managed(String catalog, String schema, String table, UUID id, Predicate<String> holdsDeltaLog) {
        Optional<String[]> rooted = jdbc.sql(CATALOG_ID_AND_ROOT)
                .param("catalog", catalog)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .optional()
                .filter(idAndRoot -> idAndRoot[1] != null);
        if (rooted.isPresent()) {
            String location = rooted.get()[1] + "/__unitystorage/catalogs/" + rooted.get()[0] + "/tables/" + id;
            claims.requireNoOverlap(location);
            return location;
        }
        String plain = managedLocation(catalog, schema, table);
        boolean free = jdbc.sql(LocationClaims.OVERLAPPING)
                        .param("location", plain)
                        .query(String.class)
                        .optional()
                        .isEmpty()
                && jdbc.sql(DROPPED_OVERLAPPING)
                        .param("location", plain)
                        .query((rs, n) -> rs.getString(1))
                        .optional()
                        .isEmpty()
                && jdbc.sql(STAGED_OVERLAPPING)
                        .param("location", plain)
                        .query(String.class)
                        .optional()
                        .isEmpty()
                && !holdsDeltaLog.test(plain);
        String location = free ? plain : plain + "-" + id;
        claims.requireNoOverlap(location);
        return location;
    }

    /**
     * Whether the platform chose the table's location (purge may remove it whole, credentials may
     * be vended for it). Tables made before that was recorded: when it is {@code <root>/<schema>/<table>}.
     */
    public boolean isManaged(TableRow table) {
        return isManaged(table.managed(), table.catalog(), table.schema(), table.name(), table.location());
    }

    /** {@link #isManaged(TableRow)} from a row's columns; {@code managed} null for an older table. */
    public boolean isManaged(Boolean managed, String catalog, String schema, String table, String location) {
        return managed != null
                ? managed
                : managedLocation(catalog, schema, table).equals(location);
    }

    /**
     * {@link #isManaged(Boolean, String, String, String, String)} with the catalog's storage root
     * already read ({@code catalogRoot}, null: it has none), as a listing reads it: no statement.
     */
    public boolean isManaged(
            Boolean managed, String catalogRoot, String catalog, String schema, String table, String location) {
        return managed != null
                ? managed
                : managedLocationUnder(catalogRoot, catalog, schema, table).equals(location);
    }

    /**
     * A catalog's storage root ({@code storage_root} at create, Unity Catalog's managed location),
     * normalised, once it passes the rules of an external location: strictly under a registered
     * storage root (or the warehouse) and overlapping no table; 422 otherwise. The catalog's tables
     * without a location then live under it, by id ({@link #managed}).
     */
    public String catalogRoot(String requested) {
        return claimable(requested, Privilege.CREATE_MANAGED_STORAGE);
    }

    /**
     * A client-given location of an EXTERNAL table or an import, normalised, once it passes every
     * rule (422 otherwise) and the caller may register tables there (403 otherwise).
     */
    public String external(String requested) {
        return claimable(requested, Privilege.CREATE_EXTERNAL_TABLE);
    }

    /**
     * A client-given directory of an EXTERNAL volume, normalised, once it passes every rule (422
     * otherwise: under a root, no table's, volume's or dropped table's) and the caller may make
     * volumes there ({@code CREATE_EXTERNAL_VOLUME} on an external location containing it; 403).
     */
    public String externalVolume(String requested) {
        return claimable(requested, Privilege.CREATE_EXTERNAL_VOLUME);
    }

    /**
     * Where a MANAGED volume of {@code catalog} lives, as Unity Catalog places one: {@code
     * <catalog storage root, or the warehouse>/__unitystorage/catalogs/<catalog id>/volumes/<volume
     * id>}; checked to overlap nothing (422).
     */
    public String managedVolume(String catalog, UUID volumeId) {
        return managedStorage(catalog, "volumes", volumeId);
    }

    /**
     * Where a securable of {@code catalog} whose directory the catalog places lives, as Unity
     * Catalog places volumes and registered models: {@code <catalog storage root, or the
     * warehouse>/__unitystorage/catalogs/<catalog id>/<kind>/<id>} ({@code kind} {@code volumes} or
     * {@code models}); checked to overlap nothing (422), 404 for a catalog that does not exist.
     */
    public String managedStorage(String catalog, String kind, UUID id) {
        String[] idAndRoot = jdbc.sql(CATALOG_ID_AND_ROOT)
                .param("catalog", catalog)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .optional()
                .orElseThrow(() ->
                        ApiException.notFound(ErrorCode.CATALOG_NOT_FOUND, "Catalog " + catalog + " does not exist."));
        String root = idAndRoot[1] != null ? idAndRoot[1] : warehouse;
        String location = root + "/__unitystorage/catalogs/" + idAndRoot[0] + "/" + kind + "/" + id;
        claims.requireNoOverlap(location);
        return location;
    }

    /**
     * An external location's url, normalised: strictly under a storage root (or the warehouse), on a
     * directory or object store prefix; 422 otherwise. Tables may lie under it.
     */
    public String underStorageRoot(String requested) {
        String location = TableLocations.normalise(requested);
        if (TableLocations.isObjectStore(location)) {
            if (objectRoots.stream().noneMatch(root -> location.startsWith(root + "/"))) {
                throw notAllowed(location + " is not under a storage root (allowed: " + objectRoots
                        + "; an operator adds roots with DELTAPLANE_STORAGE_ROOTS)");
            }
            return location;
        }
        Path path = TableLocations.path(location);
        if (roots.stream().noneMatch(root -> path.startsWith(root) && !path.equals(root))) {
            throw notAllowed(location + " is not under a storage root (allowed: " + roots
                    + "; an operator adds roots with DELTAPLANE_STORAGE_ROOTS)");
        }
        return location;
    }

    private String claimable(String requested, Privilege privilege) {
        String location = checked(requested);
        requireGranted(location, privilege);
        return location;
    }

    /**
     * Storage is a securable (Unity Catalog's external locations): a metastore admin may claim any
     * location under the roots; anyone else needs {@code privilege} on an external location that
     * contains it (or on the metastore, which an operator may grant to keep every prefix open).
     * Outside a request (the platform's own work) there is no one to ask.
     */
    private void requireGranted(String location, Privilege privilege) {
        AccessControl control = access.getIfAvailable();
        if (control == null) {
            return;
        }
        Caller caller;
        try {
            caller = control.caller();
        } catch (ApiException e) {
            return;
        }
        if (control.isMetastoreAdmin(caller) || control.allows(Securable.metastore(), privilege)) {
            return;
        }
        List<String> covering = jdbc.sql(LOCATIONS_COVERING)
                .param("location", location)
                .query(String.class)
                .list();
        for (String name : covering) {
            if (control.allows(Securable.externalLocation(name), privilege)) {
                return;
            }
        }
        throw new ApiException(
                ErrorCode.FORBIDDEN,
                "Principal '" + caller.principal() + "' lacks " + privilege + " on an external location containing "
                        + location
                        + (covering.isEmpty()
                                ? " (none does: a metastore admin registers one)"
                                : " (" + String.join(", ", covering) + ")")
                        + ".");
    }

    /** Under a root (as {@link #underStorageRoot}), a directory or prefix no table or dropped table holds. */
    private String checked(String requested) {
        String location = underStorageRoot(requested);
        if (!TableLocations.isObjectStore(location)) {
            // object stores have no directories, files-in-the-way or links to check
            Path path = TableLocations.path(location);
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw notAllowed(location + " is a file; a table location is a directory");
            }
            if (Files.isSymbolicLink(path)) {
                throw notAllowed(location + " is a symbolic link");
            }
        }
        claims.requireNoOverlap(location);
        requireNotDropped(location);
        return location;
    }

    /**
     * A dropped managed table's files are no one's EXTERNAL location but its dropper's or a metastore
     * admin's ({@link DroppedLocations}): they may import the table again.
     */
    private void requireNotDropped(String location) {
        jdbc.sql(DROPPED_OVERLAPPING)
                .param("location", location)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .optional()
                .filter(dropped -> !mayReuse(dropped[1]))
                .ifPresent(dropped -> {
                    throw notAllowed(location + " overlaps the platform's directory of the dropped table " + dropped[0]
                            + ", whose files were kept: only the principal that dropped it or a metastore admin may"
                            + " register it again");
                });
    }

    private boolean mayReuse(String droppedBy) {
        AccessControl control = access.getIfAvailable();
        if (control == null) {
            return false;
        }
        try {
            Caller caller = control.caller();
            return caller.principal().equals(droppedBy) || control.isMetastoreAdmin(caller);
        } catch (ApiException e) {
            return false; // no principal behind this call
        }
    }

    /**
     * A table's directory by its name: {@code <warehouse>/<catalog>/<schema>/<table>}, or {@code
     * <catalog storage root>/<schema>/<table>} where tables under a catalog root were placed before
     * they were placed by id ({@link #managed}); what {@link #isManaged(Boolean, String, String,
     * String, String)} compares a table older than the recorded flag with. The parts are validated
     * names, safe in a path or key.
     */
    public String managedLocation(String catalog, String schema, String table) {
        return jdbc.sql(CATALOG_ROOT)
                .param("catalog", catalog)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
                .optional()
                .flatMap(root -> root)
                .map(root -> managedLocationUnder(root, catalog, schema, table))
                .orElseGet(() -> managedLocationUnder(null, catalog, schema, table));
    }

    private String managedLocationUnder(String catalogRoot, String catalog, String schema, String table) {
        return catalogRoot != null
                ? catalogRoot + "/" + schema + "/" + table
                : warehouse + "/" + catalog + "/" + schema + "/" + table;
    }

    private static ApiException notAllowed(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, ErrorCode.LOCATION_NOT_ALLOWED, detail);
    }
}
