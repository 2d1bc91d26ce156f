package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.MetadataTestBase;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.model.ColumnInfo;
import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.DataSourceFormat;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A create-table whose columns are malformed is refused through UC's own Java client (0.6.0) with
 * the words of UC 0.6's server ({@code ColumnUtils.validateTypeJson}: "Invalid type_json for column
 * &lt;name&gt;: type_json.&lt;key&gt; is required." and the rest), 400 INVALID_ARGUMENT, and stores
 * nothing; the same columns well formed create the table.
 */
class UnityColumnsTest extends MetadataTestBase {

    private static final String WHOLE = "{\"name\":\"%s\",\"type\":\"long\",\"nullable\":%s,\"metadata\":{}}";

    private TablesApi tables;
    private String catalog;
    private Path location;

    @BeforeEach
    void schema() throws Exception {
        var admin = UnityClient.as(port, ADMIN_KEY);
        catalog = UnityClient.unique("cols_");
        new CatalogsApi(admin).createCatalog(new CreateCatalog().name(catalog));
        new SchemasApi(admin)
                .createSchema(new CreateSchema().catalogName(catalog).name("s"));
        tables = new TablesApi(admin);
        location = Files.createTempDirectory("uc-columns");
    }

    @Test
    void aMalformedColumnIsNamedAsUnityCatalogNamesItAndNothingIsStored() throws Exception {
        // UC's client sends nullable true unless told; a whole field must say the same, as UC checks
        ColumnInfo good = new ColumnInfo()
                .name("k")
                .typeJson(WHOLE.formatted("k", "false"))
                .nullable(false)
                .position(0);

        refused(
                column(null, WHOLE.formatted("id", "true")),
                "Invalid type_json for column <unknown>: field name id does not match column name null");
        refused(new ColumnInfo().typeName(ColumnTypeName.INT).position(1), "columns[1].name is required.");
        refused(column("k", null), "Invalid type_json for column k: Column k has null/empty typeJson");
        refused(
                column("tags", null).typeName(ColumnTypeName.ARRAY),
                "Invalid type_json for column tags: Column tags has null/empty typeJson"
                        + " (type_name ARRAY is not a type it can stand for)");
        refused(column("k", "{oops"), "Invalid type_json for column k: Failed to parse typeJson for column k: {oops");
        refused(
                column("k", "{\"type\":\"long\",\"nullable\":true,\"metadata\":{}}"),
                "Invalid type_json for column k: type_json.name is required.");
        refused(
                column("k", "{\"name\":\"k\",\"nullable\":true,\"metadata\":{}}"),
                "Invalid type_json for column k: type_json.type is required.");
        refused(
                column("k", "{\"name\":\"k\",\"type\":\"long\",\"metadata\":{}}"),
                "Invalid type_json for column k: type_json.nullable is required.");
        refused(
                column("k", "{\"name\":\"k\",\"type\":\"long\",\"nullable\":true}"),
                "Invalid type_json for column k: type_json.metadata is required.");
        refused(
                column("k", WHOLE.formatted("j", "true")),
                "Invalid type_json for column k: field name j does not match column name k");
        refused(
                column("k", WHOLE.formatted("k", "true")).nullable(false),
                "Invalid type_json for column k: field nullable true does not match column nullable false");

        // nothing was stored: no table, no log at the location
        assertThat(tables.listTables(catalog, "s", 100, null).getTables()).isNullOrEmpty();
        assertThat(location.resolve("_delta_log")).doesNotExist();

        // positive control: the same request, well formed
        TableInfo created = tables.createTable(request(List.of(
                good, new ColumnInfo().name("n").typeName(ColumnTypeName.INT).position(1))));
        assertThat(created.getColumns())
                .extracting(ColumnInfo::getName, ColumnInfo::getNullable)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("k", false),
                        org.assertj.core.groups.Tuple.tuple("n", true));
    }

    private static ColumnInfo column(String name, String typeJson) {
        return new ColumnInfo().name(name).typeJson(typeJson).position(0);
    }

    private CreateTable request(List<ColumnInfo> columns) {
        return new CreateTable()
                .catalogName(catalog)
                .schemaName("s")
                .name("t")
                .tableType(TableType.EXTERNAL)
                .dataSourceFormat(DataSourceFormat.DELTA)
                .storageLocation(location.toUri().toString())
                .columns(columns);
    }

    /** A create with {@code bad} beside a good column is 400 INVALID_ARGUMENT with exactly {@code message}. */
    private void refused(ColumnInfo bad, String message) {
        ColumnInfo good =
                new ColumnInfo().name("g").typeName(ColumnTypeName.STRING).position(0);
        assertThatThrownBy(() -> tables.createTable(request(List.of(good, bad))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(400);
                    JsonNode body = JSON.readTree(e.getResponseBody());
                    assertThat(body.get("error_code").asString()).isEqualTo("INVALID_ARGUMENT");
                    assertThat(body.get("message").asString()).isEqualTo(message);
                });
    }
}
