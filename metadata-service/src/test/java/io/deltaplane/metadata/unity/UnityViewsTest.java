package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.unitycatalog.client.api.FunctionsApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.model.ColumnInfo;
import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateTable;
import io.unitycatalog.client.model.Dependency;
import io.unitycatalog.client.model.DependencyList;
import io.unitycatalog.client.model.FunctionDependency;
import io.unitycatalog.client.model.ListTablesResponse;
import io.unitycatalog.client.model.TableDependency;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.TableType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Views and metric views through Unity Catalog's own client 0.6 ({@code POST /tables} with {@code
 * table_type} VIEW or METRIC_VIEW): kept and served as registered, listed with the tables in name
 * order, no location and no Delta log, validated as UC's server validates them, under the tables'
 * grants; a view and a table never share a name.
 */
class UnityViewsTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    private static CreateTable view(String catalog, String name, TableType type, String definition) {
        return new CreateTable()
                .catalogName(catalog)
                .schemaName("s")
                .name(name)
                .tableType(type)
                .viewDefinition(definition)
                .columns(List.of(new ColumnInfo()
                        .name("id")
                        .typeName(ColumnTypeName.LONG)
                        .typeText("bigint")
                        .typeJson("{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}")
                        .position(0)
                        .nullable(true)));
    }

    private static DependencyList onTable(String fullName) {
        return new DependencyList()
                .dependencies(List.of(new Dependency().table(new TableDependency().tableFullName(fullName))));
    }

    @Test
    void viewsAndMetricViewsAreKeptServedAndListedWithTheTables() throws Exception {
        String table = newTable();
        String catalog = table.substring(0, table.indexOf('.'));
        TablesApi tables = new TablesApi(UnityClient.as(port, ADMIN_KEY));
        new FunctionsApi(UnityClient.as(port, ADMIN_KEY))
                .createFunction(UnityFunctionFixtures.request(UnityFunctionFixtures.python(catalog)));

        TableInfo created = tables.createTable(view(
                        catalog, "big_orders", TableType.VIEW, "SELECT id FROM " + table + " WHERE amount > 100")
                .comment("orders over 100")
                .properties(Map.of("team", "sales"))
                .viewDependencies(new DependencyList()
                        .dependencies(List.of(
                                new Dependency().table(new TableDependency().tableFullName(table)),
                                new Dependency()
                                        .function(new FunctionDependency()
                                                .functionFullName(catalog + ".s.lowercase"))))));
        assertThat(created.getTableType()).isEqualTo(TableType.VIEW);
        assertThat(created.getViewDefinition()).isEqualTo("SELECT id FROM " + table + " WHERE amount > 100");
        assertThat(created.getViewDependencies().getDependencies())
                .extracting(d -> d.getTable() != null
                        ? d.getTable().getTableFullName()
                        : d.getFunction().getFunctionFullName())
                .containsExactly(table, catalog + ".s.lowercase");
        assertThat(created.getStorageLocation()).isNull();
        assertThat(created.getDataSourceFormat()).isNull();
        assertThat(created.getColumns()).extracting(ColumnInfo::getName).containsExactly("id");
        assertThat(created.getComment()).isEqualTo("orders over 100");
        assertThat(created.getProperties()).isEqualTo(Map.of("team", "sales"));
        assertThat(created.getOwner()).isNotBlank();
        assertThat(UUID.fromString(created.getTableId())).isNotNull();
        assertThat(tables.getTable(catalog + ".s.big_orders", false, false)).isEqualTo(created);

        TableInfo metric = tables.createTable(view(
                        catalog,
                        "revenue",
                        TableType.METRIC_VIEW,
                        "version: 0.1\nsource: " + table + "\nmeasures:\n  - name: total\n    expr: SUM(amount)")
                .viewDependencies(onTable(table)));
        assertThat(metric.getTableType()).isEqualTo(TableType.METRIC_VIEW);

        // listed with the tables, in name order, paged across both
        ListTablesResponse all = tables.listTables(catalog, "s", 100, null);
        assertThat(all.getTables()).extracting(TableInfo::getName).containsExactly("big_orders", "revenue", "t");
        ListTablesResponse first = tables.listTables(catalog, "s", 2, null);
        assertThat(first.getTables()).extracting(TableInfo::getName).containsExactly("big_orders", "revenue");
        assertThat(tables.listTables(catalog, "s", 2, first.getNextPageToken()).getTables())
                .extracting(TableInfo::getName)
                .containsExactly("t");
        // /api/v1 is the Delta tables' door: a view is no Delta table there
        assertProblem(http.get("/api/v1/tables/" + catalog + ".s.big_orders"), 404, "TABLE_NOT_FOUND");

        // UC's negative cases
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "v1", TableType.VIEW, null)), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "m1", TableType.METRIC_VIEW, "version: 0.1")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "v2", TableType.VIEW, "SELECT 1")
                        .viewDependencies(onTable(catalog + ".s.missing"))),
                404,
                "TABLE_NOT_FOUND");
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "v3", TableType.VIEW, "SELECT 1")
                        .viewDependencies(new DependencyList()
                                .dependencies(List.of(new Dependency()
                                        .function(new FunctionDependency()
                                                .functionFullName(catalog + ".s.nofunction")))))),
                404,
                "NOT_FOUND");
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "v4", TableType.MATERIALIZED_VIEW, "SELECT 1")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "big_orders", TableType.VIEW, "SELECT 2")),
                400,
                "TABLE_ALREADY_EXISTS");
        // a view and a table never share a name, either way round
        UnityClient.assertUnityError(
                () -> tables.createTable(view(catalog, "t", TableType.VIEW, "SELECT 3")), 400, "TABLE_ALREADY_EXISTS");
        assertProblem(
                http.post(
                        "/api/v1/tables",
                        tableBody(catalog, Map.of()).replace("\"name\":\"t\"", "\"name\":\"revenue\"")),
                409,
                "ALREADY_EXISTS");
        // a view's dependency may itself be a view
        tables.createTable(view(catalog, "v5", TableType.VIEW, "SELECT id FROM " + catalog + ".s.big_orders")
                .viewDependencies(onTable(catalog + ".s.big_orders")));
        assertThat(tables.listTables(catalog, "s", 100, null).getTables())
                .extracting(TableInfo::getName)
                .containsExactly("big_orders", "revenue", "t", "v5");

        // dropped like a table; its grants go with it: a view made again under its name has none
        String reader = "views_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "@example.com";
        principals.create(reader, PrincipalType.USER);
        grant("table", catalog + ".s.v5", reader, "SELECT");
        assertThat(get("/api/2.1/unity-catalog/permissions/table/" + catalog + ".s.v5")
                        .get("privilege_assignments")
                        .toString())
                .as("the grant, before the drop")
                .contains(reader);
        tables.deleteTable(catalog + ".s.v5");
        UnityClient.assertUnityError(() -> tables.getTable(catalog + ".s.v5", false, false), 404, "TABLE_NOT_FOUND");
        tables.createTable(view(catalog, "v5", TableType.VIEW, "SELECT id FROM " + catalog + ".s.big_orders")
                .viewDependencies(onTable(catalog + ".s.big_orders")));
        assertThat(get("/api/2.1/unity-catalog/permissions/table/" + catalog + ".s.v5")
                        .get("privilege_assignments")
                        .toString())
                .as("grants on the view made again under the dropped one's name")
                .doesNotContain(reader);
    }

    @Test
    void aViewIsReadWithSelectAndMadeOnlyOverWhatItsCreatorCanRead() throws Exception {
        String table = newTable();
        String catalog = table.substring(0, table.indexOf('.'));
        TablesApi admin = new TablesApi(UnityClient.as(port, ADMIN_KEY));
        admin.createTable(view(catalog, "shared", TableType.VIEW, "SELECT id FROM " + table)
                .viewDependencies(onTable(table)));

        String analyst =
                "views_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "@example.com";
        principals.create(analyst, PrincipalType.USER);
        TablesApi asAnalyst = new TablesApi(
                UnityClient.as(port, keys.createFor("a", analyst, null).key()));
        grant("catalog", catalog, analyst, "USE_CATALOG");
        grant("schema", catalog + ".s", analyst, "USE_SCHEMA");

        UnityClient.assertUnityError(
                () -> asAnalyst.getTable(catalog + ".s.shared", false, false), 403, "PERMISSION_DENIED");
        assertThat(asAnalyst.listTables(catalog, "s", 100, null).getTables()).isNullOrEmpty();
        grant("table", catalog + ".s.shared", analyst, "SELECT");
        assertThat(asAnalyst.getTable(catalog + ".s.shared", false, false).getViewDefinition())
                .isEqualTo("SELECT id FROM " + table);
        assertThat(asAnalyst.listTables(catalog, "s", 100, null).getTables())
                .extracting(TableInfo::getName)
                .containsExactly("shared");
        JsonNode grants = get("/api/2.1/unity-catalog/permissions/table/" + catalog + ".s.shared");
        assertThat(grants.get("privilege_assignments").toString()).contains(analyst);

        // CREATE_TABLE on the schema makes views, but only over what the creator can read
        grant("schema", catalog + ".s", analyst, "CREATE_TABLE");
        UnityClient.assertUnityError(
                () -> asAnalyst.createTable(view(catalog, "mine", TableType.VIEW, "SELECT id FROM " + table)
                        .viewDependencies(onTable(table))),
                403,
                "PERMISSION_DENIED");
        grant("table", table, analyst, "SELECT");
        TableInfo mine = asAnalyst.createTable(
                view(catalog, "mine", TableType.VIEW, "SELECT id FROM " + table).viewDependencies(onTable(table)));
        assertThat(mine.getOwner()).isEqualTo(analyst);
        // a reader does not drop another's view
        UnityClient.assertUnityError(() -> asAnalyst.deleteTable(catalog + ".s.shared"), 403, "PERMISSION_DENIED");
        asAnalyst.deleteTable(catalog + ".s.mine");
        UnityClient.assertUnityError(() -> admin.getTable(catalog + ".s.mine", false, false), 404, "TABLE_NOT_FOUND");
    }
}
