package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.IcebergReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.util.SnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Iceberg's own Java client ({@code RESTCatalog}, {@code IcebergGenerics} over {@code
 * iceberg-parquet}, 1.12.0, unchanged) reads Deltaplane tables through the Iceberg REST door, and
 * what it reads is what Delta Kernel reads from the published {@code _delta_log} at the same
 * version: at every version (time travel by snapshot id), after removes, with partition pruning,
 * under grants.
 */
class IcebergRestCatalogTest extends MaintenanceTestBase {

    @Autowired
    PrincipalStore principals;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    io.deltaplane.support.audit.AuditLog audit;

    private static final java.net.http.HttpClient TOKENS_CLIENT = java.net.http.HttpClient.newHttpClient();

    private final List<RESTCatalog> opened = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (RESTCatalog catalog : opened) {
            catalog.close();
        }
    }

    private RESTCatalog iceberg(String warehouse, String key) {
        RESTCatalog catalog = IcebergReader.catalog(port, warehouse, key);
        opened.add(catalog);
        return catalog;
    }

    /** Every row as {@code id|day|amount}, as {@link TableRows} renders Kernel's. */
    private static List<String> rows(Table table, long snapshotId) {
        return IcebergReader.rows(
                table,
                snapshotId,
                record -> String.format(
                        "%08d|%s|%s",
                        (Long) record.getField("id"),
                        record.getField("day"),
                        IcebergReader.render(record.getField("amount"))));
    }

    private static Map<Long, Long> snapshotsByVersion(Table table) {
        return IcebergReader.snapshotsByVersion(table);
    }

    @Test
    void icebergReadsEveryVersionOfAPartitionedTableRowForRowAsKernelDoes() {
        Lake lake = lake("local");
        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        append(lake, "2026-11-01", 0, 50);
        String second = append(lake, "2026-11-02", 100, 40);
        append(lake, "2026-11-01", 200, 30);
        // version 4 removes the second file
        ok(commit(lake.table(), version(lake.table()), remove(second)), 201);
        append(lake, "2026-11-03", 300, 20);
        long latest = version(lake.table());
        assertThat(latest).isEqualTo(5);
        awaitPublished(lake.table(), latest);

        RESTCatalog client = iceberg(catalog, ADMIN_KEY);
        assertThat(client.listNamespaces()).containsExactly(Namespace.of("s"));
        assertThat(client.listTables(Namespace.of("s"))).containsExactly(TableIdentifier.of("s", "t"));
        Table table = client.loadTable(TableIdentifier.of("s", "t"));

        Map<Long, Long> snapshots = snapshotsByVersion(table);
        assertThat(snapshots.keySet()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshots.get(latest));
        // every version's rows as Iceberg reads its snapshot, and as Delta Kernel reads the version
        Map<Long, List<String>> iceberg = new java.util.TreeMap<>();
        Map<Long, List<String>> kernel = new java.util.TreeMap<>();
        for (long v = 0; v <= latest; v++) {
            iceberg.put(v, rows(table, snapshots.get(v)));
            kernel.put(v, TableRows.read(lake.location(), v, lake.engine()));
        }
        assertThat(iceberg).isEqualTo(kernel);
        assertThat(kernel.values()).as("versions whose rows differ").doesNotHaveDuplicates();

        // each snapshot is dated when its Delta version was committed: time travel by timestamp
        // finds the version Delta's history names for that time
        Map<Long, Long> committedAt = new HashMap<>();
        for (JsonNode commit :
                get("/api/v1/tables/" + lake.table() + "/history").get("commits")) {
            committedAt.put(
                    commit.get("version").asLong(),
                    java.time.Instant.parse(commit.get("timestamp").asString()).toEpochMilli());
        }
        assertThat(committedAt.keySet()).containsExactlyInAnyOrderElementsOf(snapshots.keySet());
        for (long v = 0; v <= latest; v++) {
            assertThat(table.snapshot(snapshots.get(v)).timestampMillis())
                    .as("version %d's snapshot time", v)
                    .isEqualTo(committedAt.get(v));
            long asOf = SnapshotUtil.snapshotIdAsOfTime(table, committedAt.get(v));
            long found = Long.parseLong(table.snapshot(asOf).summary().get("deltaplane.delta-version"));
            assertThat(found).as("the version in force at version %d's time", v).isGreaterThanOrEqualTo(v);
            assertThat(committedAt.get(found)).isEqualTo(committedAt.get(v));
        }
        assertThat(rows(table, snapshots.get(latest))).hasSize(50 + 30 + 20);

        // partition pruning: a filter on the partition column plans only that day's files
        List<String> planned = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().filter(Expressions.equal("day", "2026-11-01")).planFiles()) {
            tasks.forEach(task -> planned.add(task.file().location()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(planned).hasSize(2).allSatisfy(path -> assertThat(path).contains("/day=2026-11-01/"));
        List<String> all = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> all.add(task.file().location()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(all).hasSize(3);

        // a later commit is a new snapshot on the next load, from the same metadata plus one version
        append(lake, "2026-11-04", 400, 10);
        awaitPublished(lake.table(), latest + 1);
        table.refresh();
        assertThat(snapshotsByVersion(table)).containsKey(latest + 1);
        assertThat(rows(table, table.currentSnapshot().snapshotId()))
                .isEqualTo(TableRows.read(lake.location(), latest + 1, lake.engine()));
    }

    @Test
    void loadTableAnswersItsEtagAndA304ForTheMetadataTheCallerHolds() {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 5);
        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        String path = IcebergRestController.BASE + "/v1/catalogs/" + catalog + "/namespaces/s/tables/t";
        HttpResponse<String> first = http.get(path);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("X-Deltaplane-Delta-Version")).hasValue("1");
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.get("metadata-location").asString()).startsWith(lake.location() + "/_iceberg/metadata/");
        assertThat(body.get("metadata").get("format-version").asInt()).isEqualTo(2);

        HttpResponse<String> again = http.get(path, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        // a new version is new metadata: the old ETag no longer matches
        append(lake, "2026-11-02", 10, 5);
        HttpResponse<String> moved = http.get(path, "If-None-Match", etag);
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.headers().firstValue("X-Deltaplane-Delta-Version")).hasValue("2");

        // a client's scan report is accepted and counted, nothing kept
        double reports = meters.counter("deltaplane.iceberg.metrics.reports").count();
        var report = http.post(
                path + "/metrics",
                "{\"report-type\":\"scan-report\",\"table-name\":\"t\",\"snapshot-id\":1,\"filter\":true,"
                        + "\"schema-id\":0,\"projected-field-ids\":[1],\"projected-field-names\":[\"id\"],\"metrics\":{}}");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(204);
        assertThat(meters.counter("deltaplane.iceberg.metrics.reports").count()).isEqualTo(reports + 1);

        // snapshots=refs: only the current snapshot
        JsonNode refs = JSON.readTree(http.get(path + "?snapshots=refs").body());
        assertThat(refs.get("metadata").get("snapshots")).hasSize(1);
        assertThat(JSON.readTree(moved.body()).get("metadata").get("snapshots")).hasSize(3);
    }

    @Test
    void errorsAreIcebergsAndGrantsDecideWhatACallerReads() {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 5);
        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        RESTCatalog admin = iceberg(catalog, ADMIN_KEY);
        assertThatThrownBy(() -> admin.loadTable(TableIdentifier.of("s", "missing")))
                .isInstanceOf(NoSuchTableException.class);
        assertThatThrownBy(() -> admin.loadNamespaceMetadata(Namespace.of("missing")))
                .isInstanceOf(NoSuchNamespaceException.class);
        assertThat(admin.tableExists(TableIdentifier.of("s", "t"))).isTrue();
        assertThat(admin.tableExists(TableIdentifier.of("s", "missing"))).isFalse();
        assertThat(admin.namespaceExists(Namespace.of("s"))).isTrue();
        assertThat(admin.listViews(Namespace.of("s"))).isEmpty();

        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String reader = "reader_" + suffix + "@example.com";
        principals.create(reader, PrincipalType.USER);
        String key = keys.createFor("reader", reader, null).key();
        // nothing granted: the warehouse itself is refused
        assertThatThrownBy(() -> iceberg(catalog, key)).isInstanceOf(ForbiddenException.class);

        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        RESTCatalog client = iceberg(catalog, key);
        // USE_SCHEMA without SELECT: the table is neither listed nor loaded
        assertThat(client.listTables(Namespace.of("s"))).isEmpty();
        assertThatThrownBy(() -> client.loadTable(TableIdentifier.of("s", "t"))).isInstanceOf(ForbiddenException.class);

        grant("table", lake.table(), reader, "SELECT");
        assertThat(client.listTables(Namespace.of("s"))).containsExactly(TableIdentifier.of("s", "t"));
        Table table = client.loadTable(TableIdentifier.of("s", "t"));
        assertThat(rows(table, table.currentSnapshot().snapshotId()))
                .isEqualTo(TableRows.read(lake.location(), 1, lake.engine()));
    }

    /**
     * Past one server page (100): without {@code pageToken} a listing is every name (paging is the
     * client's choice, as the REST spec's {@code PageToken} says); with {@code pageToken=} it pages,
     * and the door accepts on the next request the token it handed out, and only on that listing.
     */
    @Test
    void listingsAreWholeWithoutAPageTokenAndPageByTheTokensTheyHandOut() {
        String catalog = newCatalogWithSchemaS();
        String body = tableBody(catalog, Map.of());
        List<String> names = new ArrayList<>();
        List<String> namespaces = new ArrayList<>(List.of("s"));
        for (int i = 0; i < 105; i++) {
            names.add(String.format("t%03d", i));
            ok(http.post("/api/v1/tables", body.replace("\"name\":\"t\"", "\"name\":\"" + names.get(i) + "\"")), 201);
        }
        for (int i = 0; i < 104; i++) {
            namespaces.add(String.format("s_%03d", i));
            ok(
                    http.post(
                            "/api/v1/schemas",
                            "{\"catalog_name\":\"" + catalog + "\",\"name\":\"" + namespaces.get(i + 1) + "\"}"),
                    201);
        }

        // Iceberg's own client: every table and every namespace
        RESTCatalog client = iceberg(catalog, ADMIN_KEY);
        assertThat(client.listTables(Namespace.of("s")))
                .containsExactlyInAnyOrderElementsOf(
                        names.stream().map(n -> TableIdentifier.of("s", n)).toList());
        assertThat(client.listNamespaces())
                .containsExactlyInAnyOrderElementsOf(
                        namespaces.stream().map(Namespace::of).toList());

        // no pageToken: the whole listing in one answer, and no token
        String tables = IcebergRestController.BASE + "/v1/catalogs/" + catalog + "/namespaces/s/tables";
        String schemas = IcebergRestController.BASE + "/v1/catalogs/" + catalog + "/namespaces";
        JsonNode all = get(tables);
        assertThat(all.get("identifiers")).hasSize(105);
        assertThat(all.get("next-page-token").isNull()).isTrue();
        JsonNode allNamespaces = get(schemas);
        assertThat(allNamespaces.get("namespaces")).hasSize(105);
        assertThat(allNamespaces.get("next-page-token").isNull()).isTrue();

        // pageToken= (empty) opts in: pages of pageSize, each token accepted on the next request
        JsonNode first = get(tables + "?pageToken=&pageSize=50");
        assertThat(first.get("identifiers")).hasSize(50);
        String token = first.get("next-page-token").asString();
        assertThat(token).isNotBlank();
        List<String> paged = new ArrayList<>();
        first.get("identifiers").forEach(id -> paged.add(id.get("name").asString()));
        int pages = 1;
        for (String next = token; next != null; pages++) {
            JsonNode page = get(tables + "?pageToken=" + next + "&pageSize=50");
            page.get("identifiers").forEach(id -> paged.add(id.get("name").asString()));
            next = page.get("next-page-token").isNull()
                    ? null
                    : page.get("next-page-token").asString();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(paged).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(names);
        JsonNode firstNamespaces = get(schemas + "?pageToken=&pageSize=100");
        assertThat(firstNamespaces.get("namespaces")).hasSize(100);
        JsonNode restNamespaces = get(
                schemas + "?pageToken=" + firstNamespaces.get("next-page-token").asString() + "&pageSize=100");
        assertThat(restNamespaces.get("namespaces")).hasSize(5);
        assertThat(restNamespaces.get("next-page-token").isNull()).isTrue();

        // a token is its listing's: not another namespace's tables, not the namespaces
        for (String elsewhere : List.of(
                IcebergRestController.BASE + "/v1/catalogs/" + catalog + "/namespaces/s_000/tables?pageToken=" + token,
                schemas + "?pageToken=" + token)) {
            HttpResponse<String> refused = http.get(elsewhere);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body())
                            .get("error")
                            .get("error_code")
                            .asString())
                    .isEqualTo("INVALID_PAGE_TOKEN");
        }
    }

    @Test
    void aClientWithACredentialExchangesItsKeyForTheTokenItReadsWith() throws Exception {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 5);
        String catalog = lake.table().substring(0, lake.table().indexOf('.'));
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String reader = "pipeline_" + suffix + "@example.com";
        principals.create(reader, PrincipalType.USER);
        var created = keys.createFor("iceberg", reader, null);
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        grant("table", lake.table(), reader, "SELECT");

        // Iceberg's own client, with only "credential": it asks /v1/oauth/tokens first, then reads
        // with the token it was given, as the key's principal
        for (String credential : List.of(created.key(), created.apiKey().id() + ":" + created.key())) {
            RESTCatalog client = IcebergReader.catalogWithCredential("http://localhost:" + port, catalog, credential);
            opened.add(client);
            Table table = client.loadTable(TableIdentifier.of("s", "t"));
            assertThat(rows(table, table.currentSnapshot().snapshotId()))
                    .isEqualTo(TableRows.read(lake.location(), 1, lake.engine()));
        }
        var audited = audit
                .list(new io.deltaplane.support.audit.AuditQuery(reader, null, null, null, null), Long.MAX_VALUE, 100)
                .stream()
                .filter(e -> e.path().endsWith("/v1/oauth/tokens"))
                .toList();
        assertThat(audited).hasSize(2).allSatisfy(e -> {
            assertThat(e.authentication())
                    .isEqualTo("api_key:" + created.apiKey().id());
            assertThat(e.status()).isEqualTo(200);
        });

        // OAuth's answers (RFC 6749 §5), which Iceberg's clients read
        var basic = tokens(
                "grant_type=client_credentials",
                "Authorization",
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString((created.apiKey().id() + ":" + created.key())
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(basic.statusCode()).as(basic.body()).isEqualTo(200);
        assertThat(basic.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(JSON.readTree(basic.body()).get("token_type").asString()).isEqualTo("bearer");
        assertThat(oauthError(tokens("grant_type=password&client_secret=" + created.key())))
                .isEqualTo("400 unsupported_grant_type");
        assertThat(oauthError(tokens("client_secret=" + created.key()))).isEqualTo("400 invalid_request");
        assertThat(oauthError(tokens("grant_type=client_credentials"))).isEqualTo("400 invalid_request");
        assertThat(oauthError(
                        tokens("grant_type=client_credentials&client_id=key_other&client_secret=" + created.key())))
                .as("the secret is the key, the id must be its id")
                .isEqualTo("401 invalid_client");
        assertThatThrownBy(() -> IcebergReader.catalogWithCredential(
                        "http://localhost:" + port, catalog, "dp_not_a_key_" + suffix))
                .isInstanceOf(org.apache.iceberg.exceptions.NotAuthorizedException.class);

        // (a wrong key counts as a failed authentication, throttled as everywhere: AuthenticationLockoutTest)
        // revoking the key ends what it exchanged: the token is the key
        keys.revoke(created.apiKey().id());
        Thread.sleep(ApiKeyStore.CACHE_TTL.toMillis() + 100);
        var revoked = http.withKey(created.key()).get(IcebergReader.ICEBERG + "/v1/config?warehouse=" + catalog);
        assertThat(revoked.statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> tokens(String form, String... headers) {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + IcebergReader.ICEBERG + "/v1/oauth/tokens"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return TOKENS_CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String oauthError(HttpResponse<String> response) {
        return response.statusCode() + " "
                + JSON.readTree(response.body()).get("error").asString();
    }
}
