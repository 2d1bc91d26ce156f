package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The one rule every directory the catalog hands out obeys: no table's location, volume's or
 * registered model's directory lies in, inside or above another's, and a view never takes a table's
 * name. Claims are serialized across replicas by a transaction advisory lock, taken by the
 * transaction that inserts what claims the directory, and the rule is checked again under it, so
 * two creates racing past the first check cannot nest one directory in another.
 */
@Component
public class LocationClaims {

    /** A table whose location equals, contains or lies inside {@code :location}. */
    static final String OVERLAPPING = """
            SELECT catalog || '.' || schema || '.' || name FROM tables
            WHERE location = :location
               OR starts_with(location, :location || '/')
               OR starts_with(:location, location || '/')
            LIMIT 1""";

    /** A volume whose directory equals, contains or lies inside {@code :location}. */
    static final String VOLUME_OVERLAPPING = """
            SELECT catalog || '.' || schema || '.' || name FROM volumes
            WHERE storage_location = :location
               OR starts_with(storage_location, :location || '/')
               OR starts_with(:location, storage_location || '/')
            LIMIT 1""";

    /** A registered model whose directory equals, contains or lies inside {@code :location}. */
    static final String MODEL_OVERLAPPING = """
            SELECT catalog || '.' || schema || '.' || name FROM registered_models
            WHERE storage_location = :location
               OR starts_with(storage_location, :location || '/')
               OR starts_with(:location, storage_location || '/')
            LIMIT 1""";

    /** Serializes location claims across replicas until the claiming transaction ends. */
    static final String LOCATIONS_LOCK = "SELECT pg_advisory_xact_lock(" + 0x64706c6f63617469L + ")";

    /** A view of that name (views and tables share names; see the views package). */
    static final String VIEW_NAMED =
            "SELECT EXISTS (SELECT 1 FROM views WHERE catalog = :catalog AND schema = :schema AND name = :name)";

    private final JdbcClient jdbc;

    LocationClaims(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /**
     * Claims {@code location} for table {@code fullName} inside the transaction that inserts it:
     * location claims are serialized (a transaction advisory lock) and the overlap rule checked again
     * there, so two creates racing past the first check cannot nest one table in another. The table
     * itself (a create of a name that exists) is left to the insert's ALREADY_EXISTS; a view of that
     * name is a 409 here.
     */
    public void claimTable(String location, String fullName) {
        jdbc.sql(LOCATIONS_LOCK).query().listOfRows();
        String[] name = fullName.split("\\.", 3);
        if (jdbc.sql(VIEW_NAMED)
                .param("catalog", name[0])
                .param("schema", name[1])
                .param("name", name[2])
                .query(Boolean.class)
                .single()) {
            // views take the same lock before their insert: one of the two names wins
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Table already exists: " + fullName + " (a view).");
        }
        requireNoVolume(location);
        requireNoModel(location);
        jdbc.sql(OVERLAPPING)
                .param("location", location)
                .query(String.class)
                .optional()
                .filter(other -> !other.equals(fullName))
                .ifPresent(other -> {
                    throw notAllowed(location + " overlaps the location of table " + other
                            + " (a table's location may be neither inside nor above another's)");
                });
    }

    /**
     * Claims a volume's directory inside the transaction that inserts it, as {@link
     * #claimTable} does a table's: under the claims' lock, no table's or volume's location
     * in, inside or above it. A registered model's directory is claimed the same way.
     */
    public void claimDirectory(String location) {
        jdbc.sql(LOCATIONS_LOCK).query().listOfRows();
        requireNoOverlap(location);
    }

    /**
     * Serializes with every location claim until the calling transaction ends (a transaction
     * advisory lock): no table takes a location while it is held.
     */
    public void lock() {
        jdbc.sql(LOCATIONS_LOCK).query().listOfRows();
    }

    /** The live table whose location equals, contains or lies inside {@code location}, if any. */
    public Optional<String> tableOverlapping(String location) {
        return jdbc.sql(OVERLAPPING)
                .param("location", location)
                .query(String.class)
                .optional();
    }

    /** 422 when {@code location} lies in, inside or above a table's, volume's or model's. */
    void requireNoOverlap(String location) {
        requireNoVolume(location);
        requireNoModel(location);
        Optional<String> other = jdbc.sql(OVERLAPPING)
                .param("location", location)
                .query(String.class)
                .optional();
        other.ifPresent(table -> {
            throw notAllowed(location + " overlaps the location of table " + table
                    + " (a table's location may be neither inside nor above another's)");
        });
    }

    private void requireNoVolume(String location) {
        jdbc.sql(VOLUME_OVERLAPPING)
                .param("location", location)
                .query(String.class)
                .optional()
                .ifPresent(volume -> {
                    throw notAllowed(location + " overlaps the directory of volume " + volume
                            + " (a location may be neither inside nor above a volume's)");
                });
    }

    private void requireNoModel(String location) {
        jdbc.sql(MODEL_OVERLAPPING)
                .param("location", location)
                .query(String.class)
                .optional()
                .ifPresent(model -> {
                    throw notAllowed(location + " overlaps the directory of registered model " + model
                            + " (a location may be neither inside nor above a model's)");
                });
    }

    static ApiException notAllowed(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, ErrorCode.LOCATION_NOT_ALLOWED, detail);
    }
}
