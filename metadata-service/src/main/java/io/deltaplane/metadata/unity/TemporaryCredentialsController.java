package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestController;
import io.deltaplane.metadata.unity.delta.DeltaRestService;
import io.deltaplane.metadata.unity.vending.CredentialVending;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Credential vending: Unity Catalog's {@code temporary-table-credentials} and {@code
 * temporary-path-credentials}, and the Delta REST API's table credentials. Every call is authorized
 * first (reading needs SELECT or MODIFY on the table, writing MODIFY; a path needs a metastore
 * admin), then answered for the table's storage by {@link CredentialVending}: on S3, the operator's
 * role narrowed to the table's prefix, reading only unless the caller may write. Nothing is ever
 * answered that grants more than the caller's grants; the Delta REST API's table credentials are
 * the same, in its shape.
 */
@RestController
public class TemporaryCredentialsController {

    public record GenerateTemporaryTableCredential(String tableId, String operation) {}

    public record GenerateTemporaryPathCredential(String url, String operation) {}

    private final DeltaRestService tables;
    private final AccessControl access;
    private final CredentialVending vending;
    private final StorageRoots roots;

    public TemporaryCredentialsController(
            DeltaRestService tables, AccessControl access, CredentialVending vending, StorageRoots roots) {
        this.tables = requireNonNull(tables, "tables");
        this.access = requireNonNull(access, "access");
        this.vending = requireNonNull(vending, "vending");
        this.roots = requireNonNull(roots, "roots");
    }

    @PostMapping(UnityCatalogApi.BASE + "/temporary-table-credentials")
    public Map<String, Object> tableCredentials(
            @RequestBody GenerateTemporaryTableCredential request, HttpServletResponse response) {
        TableRow table = tables.tableByUnityId(request.tableId());
        boolean write = authorize(table, request.operation());
        requireManaged(table.catalog(), table.schema(), table.name(), table.location());
        noStore(response);
        return vending.unity(table.location(), write, access.caller().principal());
    }

    /** Paths are not securables here: only a metastore admin may ask about one. */
    @PostMapping(UnityCatalogApi.BASE + "/temporary-path-credentials")
    public Map<String, Object> pathCredentials(
            @RequestBody GenerateTemporaryPathCredential request, HttpServletResponse response) {
        access.requireMetastoreAdmin();
        if (request.url() == null || request.url().isBlank()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "url is required");
        }
        if (!java.util.Set.of("PATH_READ", "PATH_READ_WRITE", "PATH_CREATE_TABLE")
                .contains(request.operation())) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "operation must be PATH_READ, PATH_READ_WRITE or PATH_CREATE_TABLE");
        }
        noStore(response);
        return vending.unity(
                TableLocations.normalise(request.url()),
                !request.operation().equals("PATH_READ"),
                access.caller().principal());
    }

    @GetMapping(DeltaRestController.DELTA_V1 + "/catalogs/{catalog}/schemas/{schema}/tables/{table}/credentials")
    public Map<String, Object> deltaTableCredentials(
            @PathVariable String catalog,
            @PathVariable String schema,
            @PathVariable String table,
            @RequestParam(defaultValue = "READ") String operation,
            HttpServletResponse response) {
        String fullName =
                Names.part("catalog", catalog) + "." + Names.part("schema", schema) + "." + Names.part("table", table);
        boolean write = checkOperation(operation);
        Securable securable = Securable.table(fullName);
        if (write) {
            access.require(securable, Privilege.MODIFY);
        } else {
            access.requireAny(securable, Privilege.SELECT, Privilege.MODIFY);
        }
        String[] parts = fullName.split("\\.");
        String location = tables.load(parts[0], parts[1], parts[2]).metadata().location();
        requireManaged(parts[0], parts[1], parts[2], location);
        noStore(response);
        return vending.delta(location, write, access.caller().principal());
    }

    /**
     * Credentials reach a prefix, not only the files a version lists: they are vended for a managed
     * table, whose directory the platform made, not for an external one, whose creator named the
     * location (it may hold files no table of theirs wrote).
     */
    private void requireManaged(String catalog, String schema, String name, String location) {
        if (!roots.isManaged(catalog, schema, name, location)) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_LOCATION,
                    catalog + "." + schema + "." + name + " is an external table (its creator named " + location
                            + "): credentials are vended only for managed tables; give the engine its own storage"
                            + " credentials for that location, and set credentialVending.enabled=false");
        }
    }

    /** Vended secrets are kept by no cache, and by no idempotent replay (IdempotencyFilter). */
    private static void noStore(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
    }

    /** Whether the caller asked to write (and may). */
    private boolean authorize(TableRow table, String operation) {
        Securable securable = Securable.table(table.fullName());
        boolean write = checkOperation(operation);
        if (write) {
            access.require(securable, Privilege.MODIFY);
        } else {
            access.requireAny(securable, Privilege.SELECT, Privilege.MODIFY);
        }
        return write;
    }

    /** True for READ_WRITE, false for READ; anything else is a 400. */
    private static boolean checkOperation(String operation) {
        if ("READ".equals(operation)) {
            return false;
        }
        if ("READ_WRITE".equals(operation)) {
            return true;
        }
        throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "operation must be READ or READ_WRITE");
    }
}
