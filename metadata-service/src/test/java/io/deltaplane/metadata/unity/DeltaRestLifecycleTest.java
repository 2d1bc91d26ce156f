package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.model.ColumnInfo;
import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateStagingTable;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.StagingTableInfo;
import io.unitycatalog.client.model.TableType;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The Delta REST API's table lifecycle beyond commits, as Unity Catalog 0.6's server answers it
 * ({@code DeltaApiService}): {@code HEAD} on a table answers 204 when it is there and 404 when not,
 * {@code DELETE} drops it with 204 (then 404 in the Delta API's error shape), a caller without
 * ownership or MANAGE is refused and the table stays, a metrics report is 204, and {@code /config}
 * lists exactly these routes.
 */
class DeltaRestLifecycleTest extends MetadataTestBase {

    private static final String DELTA = "/api/2.1/unity-catalog/delta/v1";

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    @Test
    void aTableIsAskedForDroppedAndGoneAsUnityCatalogAnswers() throws Exception {
        String catalog = newCatalogWithSchemaS();
        TablesApi tables = new TablesApi(UnityClient.as(port, ADMIN_KEY));
        StagingTableInfo staged = tables.createStagingTable(
                new CreateStagingTable().catalogName(catalog).schemaName("s").name("t"));
        tables.createTable(new CreateTable()
                .name("t")
                .catalogName(catalog)
                .schemaName("s")
                .tableType(TableType.MANAGED)
                .dataSourceFormat(DataSourceFormat.DELTA)
                .storageLocation(staged.getStagingLocation())
                .properties(Map.of("io.unitycatalog.tableId", staged.getId()))
                .columns(List.of(new ColumnInfo()
                        .name("id")
                        .typeName(ColumnTypeName.LONG)
                        .typeText("bigint")
                        .typeJson("{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}")
                        .nullable(true)
                        .position(0))));
        String table = DELTA + "/catalogs/" + catalog + "/schemas/s/tables/t";

        assertThat(http.send("HEAD", table, null).statusCode()).isEqualTo(204);
        assertThat(http.send("HEAD", DELTA + "/catalogs/" + catalog + "/schemas/s/tables/none", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(http.post(table + "/metrics", "{\"report-type\":\"commit-report\"}")
                        .statusCode())
                .isEqualTo(204);

        // a principal who may read the table but neither owns it nor has MANAGE: refused, the table stays
        String reader = UnityClient.unique("delta_reader_") + "@example.com";
        principals.create(reader, PrincipalType.USER);
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        grant("table", catalog + ".s.t", reader, "SELECT");
        TestHttp asReader = http.withKey(keys.createFor("k", reader, null).key());
        assertThat(asReader.send("HEAD", table, null).statusCode()).isEqualTo(204);
        assertThat(asReader.delete(table).statusCode()).isEqualTo(403);
        assertThat(http.send("HEAD", table, null).statusCode()).isEqualTo(204);

        HttpResponse<String> dropped = http.delete(table);
        assertThat(dropped.statusCode()).isEqualTo(204);
        assertThat(dropped.body()).isEmpty();
        assertThat(http.send("HEAD", table, null).statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/tables/" + catalog + ".s.t").statusCode()).isEqualTo(404);
        HttpResponse<String> again = http.delete(table);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).path("error").path("type").asString())
                .isEqualTo("NoSuchTableException");

        JsonNode config = JSON.readTree(http.get(DELTA + "/config").body());
        List<String> endpoints = new ArrayList<>();
        config.path("endpoints").forEach(e -> endpoints.add(e.asString()));
        assertThat(endpoints)
                .contains(
                        "HEAD /catalogs/{catalog}/schemas/{schema}/tables/{table}",
                        "DELETE /catalogs/{catalog}/schemas/{schema}/tables/{table}");
    }
}
