package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.testing.IcebergReader;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Iceberg's own Java client ({@code RESTCatalog} 1.12.0, unchanged) through the gateway, as an
 * engine outside the platform reaches it: with an API key and with an OIDC token from the identity
 * provider every app trusts, under the grants of the principal behind it; every Delta version is a
 * snapshot whose files are the version's live files.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class IcebergEndToEndTest {

    @Test
    void icebergsJavaClientReadsThroughTheGatewayWithAKeyOrAnOidcTokenUnderGrants(EndToEndPlatform platform)
            throws Exception {
        String catalog = "ice_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestHttp admin = new TestHttp(platform.gatewayUrl(), platform.adminKey());
        ok(admin.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(admin.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"sales\"}"), 201);
        ok(
                admin.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"sales\",\"name\":\"orders\","
                                + "\"partition_columns\":[\"day\"],\"schema\":{\"type\":\"struct\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
                                + "{\"name\":\"day\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}}"),
                201);
        String table = catalog + ".sales.orders";
        for (int v = 0; v < 3; v++) {
            ok(
                    admin.post(
                            "/api/v1/tables/" + table + "/commits",
                            "{\"expected_version\":" + v + ",\"actions\":[{\"add\":{\"path\":\"day=2026-11-0"
                                    + (v % 2 + 1)
                                    + "/part-" + v + ".parquet\",\"partitionValues\":{\"day\":\"2026-11-0" + (v % 2 + 1)
                                    + "\"},\"size\":1024,\"modificationTime\":1,\"dataChange\":true,"
                                    + "\"stats\":\"{\\\"numRecords\\\":10}\"}}]}"),
                    201);
        }

        // a client that only knows OAuth's client-credentials flow exchanges the key at the gateway
        try (RESTCatalog iceberg =
                IcebergReader.catalogWithCredential(platform.gatewayUrl(), catalog, platform.adminKey())) {
            assertThat(iceberg.listNamespaces()).containsExactly(Namespace.of("sales"));
            Table loaded = iceberg.loadTable(TableIdentifier.of("sales", "orders"));
            assertThat(IcebergReader.snapshotsByVersion(loaded).keySet()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
            assertThat(planned(loaded, null))
                    .containsExactlyInAnyOrder("part-0.parquet", "part-1.parquet", "part-2.parquet");
            assertThat(planned(loaded, "2026-11-02")).containsExactly("part-1.parquet");
        }

        // a pipeline signed in at the identity provider: its token is the client's bearer token
        String principal =
                "ice_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "@example.com";
        String token = platform.oidc().token(principal, Map.of("email", principal));
        assertThatThrownBy(() -> IcebergReader.catalog(platform.gatewayUrl(), catalog, token))
                .as("first sight: no grants, the warehouse is refused")
                .isInstanceOf(ForbiddenException.class);
        for (String[] grant : List.of(
                new String[] {"catalog", catalog, "USE_CATALOG"},
                new String[] {"schema", catalog + ".sales", "USE_SCHEMA"},
                new String[] {"table", table, "SELECT"})) {
            ok(
                    admin.send(
                            "PATCH",
                            "/api/2.1/unity-catalog/permissions/" + grant[0] + "/" + grant[1],
                            "{\"changes\":[{\"principal\":\"" + principal + "\",\"add\":[\"" + grant[2] + "\"]}]}"),
                    200);
        }
        try (RESTCatalog iceberg = IcebergReader.catalog(platform.gatewayUrl(), catalog, token)) {
            Table loaded = iceberg.loadTable(TableIdentifier.of("sales", "orders"));
            assertThat(planned(loaded, null)).hasSize(3);
        }
    }

    /** The data files a scan plans (all, or one day's), by name. */
    private static List<String> planned(Table table, String day) {
        List<String> names = new ArrayList<>();
        var scan = table.newScan();
        if (day != null) {
            scan = scan.filter(org.apache.iceberg.expressions.Expressions.equal("day", day));
        }
        try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
            for (FileScanTask task : tasks) {
                String location = task.file().location();
                names.add(location.substring(location.lastIndexOf('/') + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }
}
