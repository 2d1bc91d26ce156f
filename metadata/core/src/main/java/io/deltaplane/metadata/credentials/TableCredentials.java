package io.deltaplane.metadata.credentials;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedTableService;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Who may be given storage credentials for what, for every door (Unity Catalog's {@code
 * temporary-*-credentials}, the Delta REST API's table credentials): reading a table needs SELECT or
 * MODIFY, writing MODIFY, a path a metastore admin. Credentials reach a prefix, not only the files
 * a version lists, so they are vended for a managed table (a directory the platform made), never an
 * external one (its creator named the location, which may hold files no table of theirs wrote).
 * {@link CredentialVending} then signs them, in the shape the door asked for.
 */
@Service
public class TableCredentials {

    private static final Set<String> PATH_OPERATIONS = Set.of("PATH_READ", "PATH_READ_WRITE", "PATH_CREATE_TABLE");

    private final TableRepository tables;
    private final CatalogManagedTableService managed;
    private final StorageRoots roots;
    private final AccessControl access;
    private final CredentialVending vending;

    public TableCredentials(
            TableRepository tables,
            CatalogManagedTableService managed,
            StorageRoots roots,
            AccessControl access,
            CredentialVending vending) {
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.roots = requireNonNull(roots, "roots");
        this.access = requireNonNull(access, "access");
        this.vending = requireNonNull(vending, "vending");
    }

    /** Unity Catalog's {@code TemporaryCredentials} for the table with UC id {@code tableId}. */
    public Map<String, Object> unityForTable(String tableId, String operation) {
        TableRow table = managed.tableByUnityId(tableId);
        boolean write = authorize(table, operation);
        return vending.unity(table.location(), write, access.caller().principal());
    }

    /** The Delta REST API's {@code storage-credentials} for a table. */
    public Map<String, Object> deltaForTable(TableName name, String operation) {
        boolean write = isWrite(operation);
        require(name, write);
        TableRow table = tables.require(name.toString());
        requireManaged(table);
        return vending.delta(table.location(), write, access.caller().principal());
    }

    /** The Iceberg REST catalog's {@code storage-credentials} for reading a table. */
    public Map<String, Object> icebergForTable(TableName name) {
        require(name, false);
        TableRow table = tables.require(name.toString());
        requireManaged(table);
        return vending.iceberg(table.location(), false, access.caller().principal());
    }

    /** Paths are not securables here: only a metastore admin may ask about one. */
    public Map<String, Object> unityForPath(String url, String operation) {
        access.requireMetastoreAdmin();
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "url is required");
        }
        if (!PATH_OPERATIONS.contains(operation)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "operation must be PATH_READ, PATH_READ_WRITE or PATH_CREATE_TABLE");
        }
        return vending.unity(
                TableLocations.normalise(url),
                !"PATH_READ".equals(operation),
                access.caller().principal());
    }

    /** Whether the caller asked to write (and may); the table must be managed. */
    private boolean authorize(TableRow table, String operation) {
        boolean write = isWrite(operation);
        require(TableName.parse(table.fullName()), write);
        requireManaged(table);
        return write;
    }

    private void require(TableName name, boolean write) {
        if (write) {
            access.require(name.securable(), Privilege.MODIFY);
        } else {
            access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        }
    }

    private void requireManaged(TableRow table) {
        if (!roots.isManaged(table)) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    table.fullName() + " is an external table (its creator named " + table.location()
                            + "): credentials are vended only for managed tables; give the engine its own storage"
                            + " credentials for that location, and set credentialVending.enabled=false");
        }
    }

    /** True for READ_WRITE, false for READ; anything else is a 400. */
    private static boolean isWrite(String operation) {
        if ("READ".equals(operation)) {
            return false;
        }
        if ("READ_WRITE".equals(operation)) {
            return true;
        }
        throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "operation must be READ or READ_WRITE");
    }
}
