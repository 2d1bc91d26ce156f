package io.deltaplane.metadata.iceberg;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogService;
import io.deltaplane.metadata.catalog.SchemaEntry;
import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.credentials.TableCredentials;
import io.deltaplane.metadata.icebergmetadata.IcebergTables;
import io.deltaplane.metadata.icebergmetadata.IcebergTables.IcebergTable;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.TableEntry;
import io.deltaplane.metadata.table.api.TableService;
import io.deltaplane.support.audit.AuditFilter;
import io.deltaplane.support.http.UnityCatalogErrors;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.ConfigResponseParser;
import org.apache.iceberg.rest.responses.LoadTableResponse;
import org.apache.iceberg.rest.responses.LoadTableResponseParser;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Iceberg REST catalog's read routes where Unity Catalog serves its Iceberg endpoint: a
 * Deltaplane catalog is Iceberg's {@code warehouse} (its routes under the {@code prefix} {@code
 * catalogs/<catalog>}), a schema is a namespace, every table is an Iceberg table whose metadata the
 * catalog makes from its Delta log. A door: each route names the securable and maps the answer;
 * who may see what is the application layer's ({@link SchemaService}, {@link TableService}, {@link
 * IcebergTables}), as on every other door. Iceberg clients read errors in Iceberg's {@code
 * ErrorModel} ({@link UnityCatalogErrors}).
 */
@RestController
@RequestMapping(IcebergRestController.BASE)
public class IcebergRestController {

    /** Where Iceberg clients are pointed: their {@code uri}. */
    public static final String BASE = UnityCatalogErrors.ICEBERG;

    private final CatalogService catalogs;
    private final SchemaService schemas;
    private final TableService tables;
    private final IcebergTables iceberg;
    private final TableCredentials credentials;
    private final io.micrometer.core.instrument.Counter metricsReports;

    public IcebergRestController(
            CatalogService catalogs,
            SchemaService schemas,
            TableService tables,
            IcebergTables iceberg,
            TableCredentials credentials,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this.metricsReports = io.micrometer.core.instrument.Counter.builder("deltaplane.iceberg.metrics.reports")
                .description("Scan and commit reports Iceberg clients sent (accepted, not kept)")
                .register(registry);
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.schemas = requireNonNull(schemas, "schemas");
        this.tables = requireNonNull(tables, "tables");
        this.iceberg = requireNonNull(iceberg, "iceberg");
        this.credentials = requireNonNull(credentials, "credentials");
    }

    /** The warehouse is a catalog the caller may use; its routes are under {@code catalogs/<name>}. */
    @GetMapping(value = "/v1/config", produces = MediaType.APPLICATION_JSON_VALUE)
    public String config(@RequestParam(name = "warehouse", required = false) String warehouse) {
        if (warehouse == null || warehouse.isBlank()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "warehouse: the Deltaplane catalog to read (the Iceberg client's 'warehouse' property).");
        }
        String catalog = catalogs.get(warehouse).name(); // USE_CATALOG; 404 for a catalog that does not exist
        return ConfigResponseParser.toJson(ConfigResponse.builder()
                .withOverride("prefix", "catalogs/" + catalog)
                .withEndpoints(IcebergEndpoints.SERVED)
                .build());
    }

    @GetMapping(value = "/v1/catalogs/{catalog}/namespaces", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> listNamespaces(
            @PathVariable String catalog,
            @RequestParam(name = "parent", required = false) String parent,
            @RequestParam(name = "pageToken", required = false) String pageToken,
            @RequestParam(name = "pageSize", required = false) Integer pageSize) {
        if (parent != null && !parent.isEmpty()) {
            IcebergNotFound.namespace(
                    parent,
                    () -> schemas.get(
                            namespace(catalog, parent))); // 404 if there is no such namespace; schemas hold none
            return page(List.of(), null);
        }
        Page<SchemaEntry> page = listing(pageToken, pageSize, (token, limit) -> schemas.list(catalog, token, limit));
        return page(page.items().stream().map(s -> List.of(s.name())).toList(), page.nextPageToken());
    }

    @GetMapping(value = "/v1/catalogs/{catalog}/namespaces/{namespace}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> loadNamespace(@PathVariable String catalog, @PathVariable String namespace) {
        SchemaEntry schema = IcebergNotFound.namespace(namespace, () -> schemas.get(namespace(catalog, namespace)));
        Map<String, String> properties = new LinkedHashMap<>(schema.properties());
        if (schema.comment() != null) {
            properties.put("comment", schema.comment());
        }
        return Map.of("namespace", List.of(schema.name()), "properties", properties);
    }

    @RequestMapping(value = "/v1/catalogs/{catalog}/namespaces/{namespace}", method = RequestMethod.HEAD)
    public ResponseEntity<Void> namespaceExists(@PathVariable String catalog, @PathVariable String namespace) {
        IcebergNotFound.namespace(namespace, () -> schemas.get(namespace(catalog, namespace)));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(
            value = "/v1/catalogs/{catalog}/namespaces/{namespace}/tables",
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> listTables(
            @PathVariable String catalog,
            @PathVariable String namespace,
            @RequestParam(name = "pageToken", required = false) String pageToken,
            @RequestParam(name = "pageSize", required = false) Integer pageSize) {
        SchemaName schema = namespace(catalog, namespace);
        Page<TableEntry> page = IcebergNotFound.namespace(
                namespace, () -> listing(pageToken, pageSize, (token, limit) -> tables.list(schema, token, limit)));
        List<Map<String, Object>> identifiers = page.items().stream()
                .map(t -> Map.<String, Object>of("namespace", List.of(t.schema()), "name", t.name()))
                .toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("identifiers", identifiers);
        answer.put("next-page-token", page.nextPageToken());
        return answer;
    }

    /**
     * The table's Iceberg metadata at the catalog's latest version. {@code snapshots=refs} leaves out
     * the snapshots no branch or tag names; an {@code If-None-Match} naming the metadata the caller
     * holds is a 304. With {@code X-Iceberg-Access-Delegation: vended-credentials}, the answer
     * carries the storage credentials the table's {@code /credentials} vends, where it vends any (a
     * managed table on S3 or ADLS); elsewhere the engine uses its own, as the protocol allows.
     */
    @GetMapping(
            value = "/v1/catalogs/{catalog}/namespaces/{namespace}/tables/{table}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> loadTable(
            @PathVariable String catalog,
            @PathVariable String namespace,
            @PathVariable String table,
            @RequestParam(name = "snapshots", required = false, defaultValue = "all") String snapshots,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch,
            @RequestHeader(name = IcebergEndpoints.ACCESS_DELEGATION, required = false) String delegation,
            jakarta.servlet.http.HttpServletRequest request) {
        if (!snapshots.equals("all") && !snapshots.equals("refs")) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "snapshots: all or refs.");
        }
        IcebergTable loaded =
                IcebergNotFound.table(namespace, table, () -> iceberg.load(tableName(catalog, namespace, table)));
        TableMetadata metadata = loaded.metadata();
        String etag = etag(metadata.metadataFileLocation() + "|" + snapshots);
        if (ifNoneMatch != null && ifNoneMatch.contains(etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        if (snapshots.equals("refs")) {
            metadata = TableMetadata.buildFrom(metadata)
                    .withMetadataLocation(metadata.metadataFileLocation())
                    .suppressHistoricalSnapshots()
                    .build();
        }
        LoadTableResponse.Builder response = LoadTableResponse.builder().withTableMetadata(metadata);
        boolean vended = delegation != null && delegation.contains("vended-credentials");
        if (vended) {
            IcebergCredentials.vendedForLoad(() -> credentials.icebergForTable(loaded.name()))
                    .forEach(response::addCredential);
        }
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (vended) {
            ok.cacheControl(CacheControl.noStore());
            request.setAttribute(AuditFilter.CREDENTIALS_ISSUED, true);
        }
        if (!loaded.lag().isZero()) {
            // the last good metadata while a transient failure lasts: how far behind the log it is
            ok.header(IcebergEndpoints.LAG_HEADER, Long.toString(loaded.lag().toMillis()));
        }
        return ok.eTag(etag)
                .header(IcebergEndpoints.DELTA_VERSION_HEADER, Long.toString(loaded.deltaVersion()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(LoadTableResponseParser.toJson(response.build()));
    }

    /**
     * Storage credentials for reading the table, in Iceberg's {@code LoadCredentialsResponse}: what
     * the Delta door and Unity Catalog vend (a managed table on S3 or ADLS, narrowed to its prefix);
     * needs SELECT or MODIFY.
     */
    @GetMapping(
            value = "/v1/catalogs/{catalog}/namespaces/{namespace}/tables/{table}/credentials",
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> loadCredentials(
            @PathVariable String catalog, @PathVariable String namespace, @PathVariable String table) {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(IcebergNotFound.table(
                        namespace, table, () -> credentials.icebergForTable(tableName(catalog, namespace, table))));
    }

    @RequestMapping(value = "/v1/catalogs/{catalog}/namespaces/{namespace}/tables/{table}", method = RequestMethod.HEAD)
    public ResponseEntity<Void> tableExists(
            @PathVariable String catalog, @PathVariable String namespace, @PathVariable String table) {
        IcebergNotFound.table(namespace, table, () -> tables.get(tableName(catalog, namespace, table)));
        return ResponseEntity.noContent().build();
    }

    /** Scan reports are accepted (and counted); nothing of them is kept. */
    @PostMapping("/v1/catalogs/{catalog}/namespaces/{namespace}/tables/{table}/metrics")
    public ResponseEntity<Void> reportMetrics(
            @PathVariable String catalog, @PathVariable String namespace, @PathVariable String table) {
        IcebergNotFound.table(namespace, table, () -> tables.get(tableName(catalog, namespace, table)));
        metricsReports.increment();
        return ResponseEntity.noContent().build();
    }

    /** Deltaplane keeps no Iceberg views: an empty list (whole, paged or not), and no view by any name. */
    @GetMapping(
            value = "/v1/catalogs/{catalog}/namespaces/{namespace}/views",
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> listViews(@PathVariable String catalog, @PathVariable String namespace) {
        IcebergNotFound.namespace(namespace, () -> schemas.get(namespace(catalog, namespace)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("identifiers", List.of());
        answer.put("next-page-token", null);
        return answer;
    }

    @RequestMapping(
            value = "/v1/catalogs/{catalog}/namespaces/{namespace}/views/{view}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    public ResponseEntity<Void> loadView(
            @PathVariable String catalog, @PathVariable String namespace, @PathVariable String view) {
        IcebergNotFound.namespace(namespace, () -> schemas.get(namespace(catalog, namespace)));
        throw ApiException.notFound(ErrorCode.NOT_FOUND, "View does not exist: " + namespace + "." + view);
    }

    private static Map<String, Object> page(List<List<String>> namespaces, String next) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("namespaces", namespaces);
        answer.put("next-page-token", next);
        return answer;
    }

    /** A namespace is one level, a schema: Iceberg's multi-level separator (0x1F) names none here. */
    private static SchemaName namespace(String catalog, String namespace) {
        if (namespace.indexOf('\u001f') >= 0) {
            throw ApiException.notFound(
                    ErrorCode.SCHEMA_NOT_FOUND,
                    "Namespace does not exist: " + namespace.replace('\u001f', '.')
                            + " (Deltaplane namespaces are schemas, one level under the catalog)");
        }
        return SchemaName.of(catalog, namespace);
    }

    private static TableName tableName(String catalog, String namespace, String table) {
        return TableName.of(namespace(catalog, namespace).catalog(), namespace, table);
    }

    /**
     * A listing's page, or all of it: paging is the client's choice. Without {@code pageToken} the
     * whole listing in one answer ({@code pageSize} is then no bound); with {@code pageToken=}
     * (empty: the first page) or a token this door handed out, a page of {@code pageSize}. The REST
     * spec's {@code PageToken} (apache/iceberg open-api/rest-catalog-open-api.yaml): "Servers that
     * support pagination must return all results in a single response with the value of
     * next-page-token set to null if the query parameter pageToken is not set in the request."
     */
    private static <T> Page<T> listing(String pageToken, Integer pageSize, BiFunction<String, Integer, Page<T>> pages) {
        if (pageToken != null) {
            return pages.apply(token(pageToken), size(pageSize));
        }
        // the services answer at most MAX_RESULTS a page: every page, never the first alone
        List<T> all = new ArrayList<>();
        String next = null;
        do {
            Page<T> page = pages.apply(next, PageTokens.MAX_RESULTS);
            all.addAll(page.items());
            next = page.nextPageToken();
        } while (next != null);
        return new Page<>(all, null);
    }

    private static String token(String pageToken) {
        return pageToken == null || pageToken.isEmpty() ? null : pageToken;
    }

    private static int size(Integer pageSize) {
        if (pageSize == null || pageSize <= 0) {
            return PageTokens.DEFAULT_RESULTS;
        }
        return Math.min(pageSize, PageTokens.MAX_RESULTS);
    }

    private static String etag(String of) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(of.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
