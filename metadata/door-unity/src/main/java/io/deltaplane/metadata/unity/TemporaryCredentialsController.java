package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.credentials.TableCredentials;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.unity.delta.DeltaRestController;
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
 * temporary-path-credentials}, and the Delta REST API's table credentials, each mapped onto {@link
 * TableCredentials}, which decides who may have what. Nothing is ever answered that grants more than
 * the caller's grants, and no answer is kept by a cache.
 */
@RestController
public class TemporaryCredentialsController {

    public record GenerateTemporaryTableCredential(String tableId, String operation) {}

    public record GenerateTemporaryPathCredential(String url, String operation) {}

    private final TableCredentials credentials;

    public TemporaryCredentialsController(TableCredentials credentials) {
        this.credentials = requireNonNull(credentials, "credentials");
    }

    @PostMapping(UnityCatalogApi.BASE + "/temporary-table-credentials")
    public Map<String, Object> tableCredentials(
            @RequestBody GenerateTemporaryTableCredential request, HttpServletResponse response) {
        Map<String, Object> answer = credentials.unityForTable(request.tableId(), request.operation());
        noStore(response);
        return answer;
    }

    @PostMapping(UnityCatalogApi.BASE + "/temporary-path-credentials")
    public Map<String, Object> pathCredentials(
            @RequestBody GenerateTemporaryPathCredential request, HttpServletResponse response) {
        Map<String, Object> answer = credentials.unityForPath(request.url(), request.operation());
        noStore(response);
        return answer;
    }

    @GetMapping(DeltaRestController.DELTA_V1 + "/catalogs/{catalog}/schemas/{schema}/tables/{table}/credentials")
    public Map<String, Object> deltaTableCredentials(
            @PathVariable String catalog,
            @PathVariable String schema,
            @PathVariable String table,
            @RequestParam(defaultValue = "READ") String operation,
            HttpServletResponse response) {
        Map<String, Object> answer = credentials.deltaForTable(TableName.of(catalog, schema, table), operation);
        noStore(response);
        return answer;
    }

    /** Vended secrets are kept by no cache, and by no idempotent replay (IdempotencyFilter). */
    private static void noStore(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
    }
}
