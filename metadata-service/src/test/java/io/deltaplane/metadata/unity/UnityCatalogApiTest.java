package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.MetastoresApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.model.CatalogInfo;
import io.unitycatalog.client.model.ColumnInfo;
import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.ListCatalogsResponse;
import io.unitycatalog.client.model.SchemaInfo;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import io.unitycatalog.client.model.UpdateCatalog;
import io.unitycatalog.client.model.UpdateSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Unity Catalog's own Java client (io.unitycatalog:unitycatalog-client, unchanged) against the UC
 * surface: what it sends binds, what we answer it parses, and it sees the same catalogs, schemas
 * and tables as {@code /api/v1}, under the same grants.
 */
class UnityCatalogApiTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    ApiClient uc;

    @BeforeEach
    void client() {
        uc = UnityClient.as(port, ADMIN_KEY);
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void theMetastoreIdIsStable() throws Exception {
        UUID first = UUID.fromString(new MetastoresApi(uc).summary().getMetastoreId());
        UUID second = UUID.fromString(new MetastoresApi(uc).summary().getMetastoreId());
        assertThat(second).isEqualTo(first);
    }

    @Test
    void catalogsAndSchemasRoundTripThroughUnityCatalogsClient() throws Exception {
        CatalogsApi catalogs = new CatalogsApi(uc);
        String name = unique("uc_");
        CatalogInfo created = catalogs.createCatalog(
                new CreateCatalog().name(name).comment("sales").properties(Map.of("team", "finance")));
        assertThat(created.getName()).isEqualTo(name);
        assertThat(created.getProperties()).containsEntry("team", "finance");
        assertThat(created.getOwner()).isNotBlank();
        assertThat(created.getCreatedAt()).isPositive();
        assertThat(UUID.fromString(created.getId())).isNotNull();

        // the same catalog through /api/v1
        assertThat(get("/api/v1/catalogs/" + name).get("comment").asString()).isEqualTo("sales");

        CatalogInfo updated = catalogs.updateCatalog(
                name, new UpdateCatalog().comment("sales, EU").properties(Map.of("team", "emea")));
        assertThat(updated.getComment()).isEqualTo("sales, EU");
        assertThat(updated.getProperties()).isEqualTo(Map.of("team", "emea"));
        assertThat(updated.getUpdatedAt()).isNotNull();
        assertThat(catalogs.getCatalog(name).getId()).isEqualTo(created.getId());
        assertUnityError(
                () -> catalogs.updateCatalog(name, new UpdateCatalog().newName(name + "_x")), 400, "INVALID_ARGUMENT");

        SchemasApi schemas = new SchemasApi(uc);
        SchemaInfo schema = schemas.createSchema(
                new CreateSchema().catalogName(name).name("raw").properties(Map.of("tier", "bronze")));
        assertThat(schema.getFullName()).isEqualTo(name + ".raw");
        assertThat(schema.getProperties()).containsEntry("tier", "bronze");
        schemas.createSchema(new CreateSchema().catalogName(name).name("gold"));
        assertThat(schemas.updateSchema(name + ".raw", new UpdateSchema().comment("landing"))
                        .getComment())
                .isEqualTo("landing");
        assertThat(schemas.listSchemas(name, 1, null).getSchemas())
                .extracting(SchemaInfo::getName)
                .containsExactly("gold");
        String next = schemas.listSchemas(name, 1, null).getNextPageToken();
        assertThat(schemas.listSchemas(name, 1, next).getSchemas())
                .extracting(SchemaInfo::getName)
                .containsExactly("raw");
        // UC's own page tokens are the last name listed: one passed back continues after it
        assertThat(schemas.listSchemas(name, 1, "gold").getSchemas())
                .extracting(SchemaInfo::getName)
                .containsExactly("raw");
        assertThat(schemas.listSchemas(name, 10, "raw").getSchemas()).isNullOrEmpty();
        assertUnityError(() -> schemas.listSchemas(name, 1, "not a name"), 400, "INVALID_ARGUMENT");
        assertUnityError(() -> schemas.listSchemas(name, 1, "forged.token"), 400, "INVALID_ARGUMENT");
        assertThat(get("/api/v1/schemas/" + name + ".raw").get("comment").asString())
                .isEqualTo("landing");

        // a catalog with schemas is not dropped without force; with force it is, schemas and all
        assertUnityError(() -> catalogs.deleteCatalog(name, false), 409, "ALREADY_EXISTS");
        schemas.deleteSchema(name + ".gold", false);
        catalogs.deleteCatalog(name, true);
        assertUnityError(() -> catalogs.getCatalog(name), 404, "CATALOG_NOT_FOUND");
        assertThat(http.get("/api/v1/schemas/" + name + ".raw").statusCode()).isEqualTo(404);
    }

    @Test
    void listingsPageAsDeltasClientAsksForThem() throws Exception {
        CatalogsApi catalogs = new CatalogsApi(uc);
        String prefix = unique("pg_");
        for (int i = 0; i < 3; i++) {
            catalogs.createCatalog(new CreateCatalog().name(prefix + i));
        }
        // Delta's client asks for Integer.MAX_VALUE and an empty token: clamped, and "" is the first page
        ListCatalogsResponse all = catalogs.listCatalogs("", Integer.MAX_VALUE);
        assertThat(all.getCatalogs()).extracting(CatalogInfo::getName).contains(prefix + 0, prefix + 1, prefix + 2);

        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ListCatalogsResponse page = catalogs.listCatalogs(token, 2);
            assertThat(page.getCatalogs()).hasSizeLessThanOrEqualTo(2);
            page.getCatalogs().forEach(c -> seen.add(c.getName()));
            token = page.getNextPageToken();
        } while (token != null);
        assertThat(seen).doesNotHaveDuplicates().contains(prefix + 0, prefix + 1, prefix + 2);
        assertUnityError(() -> catalogs.listCatalogs("forged.token", 2), 400, "INVALID_ARGUMENT");
    }

    @Test
    void tablesShowTheirDeltaSchemaAsColumnsAndExternalTablesRegister() throws Exception {
        String table = newTable("day");
        String catalog = table.substring(0, table.indexOf('.'));
        TablesApi tables = new TablesApi(uc);

        TableInfo managed = tables.getTable(table, false, false);
        assertThat(managed.getTableType()).isEqualTo(TableType.MANAGED);
        assertThat(managed.getDataSourceFormat()).isEqualTo(DataSourceFormat.DELTA);
        assertThat(managed.getTableId())
                .isEqualTo(get("/api/v1/tables/" + table).get("table_id").asString());
        assertThat(managed.getColumns())
                .extracting(ColumnInfo::getName, ColumnInfo::getTypeName, ColumnInfo::getTypeText)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("id", ColumnTypeName.LONG, "bigint"),
                        org.assertj.core.groups.Tuple.tuple("day", ColumnTypeName.STRING, "string"),
                        org.assertj.core.groups.Tuple.tuple("amount", ColumnTypeName.DECIMAL, "decimal(10,2)"));
        assertThat(managed.getColumns().get(1).getPartitionIndex()).isZero();
        assertThat(managed.getColumns().get(2).getTypePrecision()).isEqualTo(10);
        assertThat(managed.getColumns().get(0).getNullable()).isFalse();

        // an EXTERNAL table at an empty location: version 0 from the columns
        Path location = Files.createTempDirectory("uc-external");
        TableInfo external = tables.createTable(new CreateTable()
                .catalogName(catalog)
                .schemaName("s")
                .name("ext")
                .tableType(TableType.EXTERNAL)
                .dataSourceFormat(DataSourceFormat.DELTA)
                .storageLocation(location.toUri().toString())
                .properties(Map.of("delta.appendOnly", "true"))
                .columns(List.of(
                        new ColumnInfo()
                                .name("k")
                                .typeName(ColumnTypeName.INT)
                                .nullable(false)
                                .position(0),
                        new ColumnInfo()
                                .name("tags")
                                .typeName(ColumnTypeName.ARRAY)
                                .typeJson("{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}")
                                .position(1))));
        assertThat(external.getTableType()).isEqualTo(TableType.EXTERNAL);
        assertThat(external.getProperties()).containsEntry("delta.appendOnly", "true");
        assertThat(external.getColumns()).extracting(ColumnInfo::getTypeText).containsExactly("int", "array<string>");
        JsonNode v1 = get("/api/v1/tables/" + catalog + ".s.ext");
        assertThat(v1.get("version").asLong()).isZero();
        assertThat(v1.get("schema").get("fields").get(1).get("type").get("type").asString())
                .isEqualTo("array");

        // a dropped table's files stay; registering their location adopts the log, schema and all
        String dropped = catalog + ".s.old";
        Path oldLocation = Files.createTempDirectory("uc-adopt");
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"old\",\"schema\":"
                                + SCHEMA + ",\"location\":\"" + oldLocation.toUri() + "\"}"),
                201);
        awaitPublished(dropped, 0);
        ok(http.delete("/api/v1/tables/" + dropped), 204);
        Path copy = oldLocation;
        TableInfo registered = tables.createTable(new CreateTable()
                .catalogName(catalog)
                .schemaName("s")
                .name("adopted")
                .tableType(TableType.EXTERNAL)
                .dataSourceFormat(DataSourceFormat.DELTA)
                .storageLocation(copy.toUri().toString()));
        assertThat(registered.getColumns()).extracting(ColumnInfo::getName).containsExactly("id", "day", "amount");

        assertThat(tables.listTables(catalog, "s", Integer.MAX_VALUE, "").getTables())
                .extracting(TableInfo::getName)
                .containsExactly("adopted", "ext", "t");
        assertThat(tables.listTables(catalog, "s", 1, "adopted").getTables())
                .extracting(TableInfo::getName)
                .containsExactly("ext");
        assertUnityError(
                () -> tables.createTable(new CreateTable()
                        .catalogName(catalog)
                        .schemaName("s")
                        .name("m")
                        .tableType(TableType.MANAGED)
                        .columns(List.of(new ColumnInfo().name("k").typeName(ColumnTypeName.INT)))),
                400,
                "INVALID_ARGUMENT");

        JsonNode summaries = ok(
                http.get("/api/2.1/unity-catalog/table-summaries?catalog_name=" + catalog
                        + "&table_name_pattern=e%25&max_results=2147483647"),
                200);
        assertThat(summaries.get("tables").toString())
                .isEqualTo("[{\"full_name\":\"" + catalog + ".s.ext\",\"table_type\":\"EXTERNAL\"}]");

        tables.deleteTable(catalog + ".s.ext");
        assertUnityError(() -> tables.getTable(catalog + ".s.ext", false, false), 404, "TABLE_NOT_FOUND");
        assertThat(Files.exists(location.resolve("_delta_log")))
                .as("files stay")
                .isTrue();
    }

    @Test
    void grantsDecideWhatUnityCatalogsClientSees(@Autowired PrincipalStore principals) throws Exception {
        String table = newTable();
        String catalog = table.substring(0, table.indexOf('.'));
        String nobody = unique("ucnobody_");
        principals.create(nobody, PrincipalType.SERVICE_PRINCIPAL);
        ApiClient asNobody =
                UnityClient.as(port, keys.createFor("uc-nobody", nobody, null).key());

        assertThat(new CatalogsApi(asNobody).listCatalogs(null, 100).getCatalogs())
                .isEmpty();
        assertUnityError(() -> new CatalogsApi(asNobody).getCatalog(catalog), 403, "PERMISSION_DENIED");
        assertUnityError(() -> new TablesApi(asNobody).getTable(table, false, false), 403, "PERMISSION_DENIED");
        assertUnityError(() -> new TablesApi(asNobody).deleteTable(table), 403, "PERMISSION_DENIED");
        assertUnityError(
                () -> new CatalogsApi(asNobody).createCatalog(new CreateCatalog().name(unique("x_"))),
                403,
                "PERMISSION_DENIED");

        // once granted, the same client sees exactly what was granted
        http.send(
                "PATCH",
                "/api/2.1/unity-catalog/permissions/catalog/" + catalog,
                "{\"changes\":[{\"principal\":\"" + nobody + "\",\"add\":[\"USE_CATALOG\"]}]}");
        assertThat(new CatalogsApi(asNobody).listCatalogs(null, 100).getCatalogs())
                .extracting(CatalogInfo::getName)
                .containsExactly(catalog);
        assertThat(new SchemasApi(asNobody).listSchemas(catalog, 100, null).getSchemas())
                .isEmpty();
        assertThat(version(table)).isZero();
    }

    @Test
    void credentialsAreAuthorizedAndAnsweredPlainlyWhereNoneAreVended(@Autowired PrincipalStore principals)
            throws Exception {
        String table = newTable();
        String id = get("/api/v1/tables/" + table).get("table_id").asString();
        var vending = new io.unitycatalog.client.api.TemporaryCredentialsApi(uc);
        assertThatThrownBy(() -> vending.generateTemporaryTableCredentials(
                        new io.unitycatalog.client.model.GenerateTemporaryTableCredential()
                                .tableId(id)
                                .operation(io.unitycatalog.client.model.TableOperation.READ_WRITE)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    JsonNode body = JSON.readTree(e.getResponseBody());
                    assertThat(body.get("details").get(0).get("reason").asString())
                            .isEqualTo("UNSUPPORTED_LOCATION");
                    assertThat(body.get("message").asString()).contains("local file system");
                });

        String nobody = unique("ucvend_");
        principals.create(nobody, PrincipalType.SERVICE_PRINCIPAL);
        ApiClient asNobody =
                UnityClient.as(port, keys.createFor("uc-vend", nobody, null).key());
        var theirs = new io.unitycatalog.client.api.TemporaryCredentialsApi(asNobody);
        assertUnityError(
                () -> theirs.generateTemporaryTableCredentials(
                        new io.unitycatalog.client.model.GenerateTemporaryTableCredential()
                                .tableId(id)
                                .operation(io.unitycatalog.client.model.TableOperation.READ)),
                403,
                "PERMISSION_DENIED");
        assertUnityError(
                () -> theirs.generateTemporaryPathCredentials(
                        new io.unitycatalog.client.model.GenerateTemporaryPathCredential()
                                .url("file:/tmp")
                                .operation(io.unitycatalog.client.model.PathOperation.PATH_READ)),
                403,
                "PERMISSION_DENIED");
        String[] parts = table.split("\\.");
        JsonNode delta = JSON.readTree(http.get("/api/2.1/unity-catalog/delta/v1/catalogs/" + parts[0] + "/schemas/"
                        + parts[1] + "/tables/" + parts[2] + "/credentials?operation=READ")
                .body());
        assertThat(delta.get("error").get("code").asInt()).isEqualTo(422);
    }

    @Test
    void errorsOfEveryOriginAreInUnityCatalogsShape() {
        // made by a filter before any handler: a NUL in the body, no credentials at all
        var nul = http.post("/api/2.1/unity-catalog/catalogs", "{\"name\":\"x\\u0000y\"}");
        assertThat(nul.statusCode()).isEqualTo(400);
        assertThat(nul.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(JSON.readTree(nul.body()).get("error_code").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(JSON.readTree(nul.body()).get("details").get(0).get("reason").asString())
                .isEqualTo("VALIDATION_FAILED");
        var anonymous = http.withKey("not-a-key-of-anyone-0000").get("/api/2.1/unity-catalog/catalogs");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(anonymous.body()).get("error_code").asString()).isEqualTo("UNAUTHENTICATED");
        var delta = http.withKey("not-a-key-of-anyone-0000").get("/api/2.1/unity-catalog/delta/v1/config");
        assertThat(JSON.readTree(delta.body()).get("error").get("type").asString())
                .isEqualTo("NotAuthorizedException");
        // the rest of the API keeps problem+json
        assertThat(http.withKey("not-a-key-of-anyone-0000")
                        .get("/api/v1/catalogs")
                        .headers()
                        .firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }

    private static void assertUnityError(ThrowingCall call, int status, String unityCode) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(status);
            JsonNode body = JSON.readTree(e.getResponseBody());
            assertThat(body.get("error_code").asString()).isEqualTo(unityCode);
            assertThat(body.get("message").asString()).isNotBlank();
            assertThat(body.get("details").get(0).get("reason").asString()).isNotBlank();
        });
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
