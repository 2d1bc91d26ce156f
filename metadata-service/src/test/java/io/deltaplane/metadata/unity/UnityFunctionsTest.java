package io.deltaplane.metadata.unity;

import static io.deltaplane.metadata.unity.UnityFunctionFixtures.expected;
import static io.deltaplane.metadata.unity.UnityFunctionFixtures.param;
import static io.deltaplane.metadata.unity.UnityFunctionFixtures.params;
import static io.deltaplane.metadata.unity.UnityFunctionFixtures.python;
import static io.deltaplane.metadata.unity.UnityFunctionFixtures.request;
import static io.deltaplane.metadata.unity.UnityFunctionFixtures.sqlTableFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.support.security.ApiKeyStore;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.FunctionsApi;
import io.unitycatalog.client.api.GrantsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateFunction;
import io.unitycatalog.client.model.Dependency;
import io.unitycatalog.client.model.DependencyList;
import io.unitycatalog.client.model.FunctionInfo;
import io.unitycatalog.client.model.FunctionParameterInfo;
import io.unitycatalog.client.model.ListFunctionsResponse;
import io.unitycatalog.client.model.PermissionsChange;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.PrivilegeAssignment;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.UpdatePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Unity Catalog's functions through UC's own Java client (io.unitycatalog:unitycatalog-client,
 * unchanged): what is registered comes back exactly as sent, pages, is refused as UC refuses it,
 * and is seen, read and dropped only under the grants UC's FunctionService asks for.
 */
class UnityFunctionsTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    @Autowired
    AuditLog audit;

    ApiClient admin;
    String catalog;

    @BeforeEach
    void catalogAndAdmin() {
        admin = UnityClient.as(port, ADMIN_KEY);
        catalog = newCatalogWithSchemaS();
    }

    @Test
    void functionsRoundTripPageAndObeyGrants() throws Exception {
        String dev = principal("fn_dev_");
        String reader = principal("fn_reader_");
        grant(SecurableType.CATALOG, catalog, dev, Privilege.USE_CATALOG);
        grant(SecurableType.SCHEMA, catalog + ".s", dev, Privilege.USE_SCHEMA, Privilege.CREATE_FUNCTION);
        grant(SecurableType.CATALOG, catalog, reader, Privilege.USE_CATALOG);
        grant(SecurableType.SCHEMA, catalog + ".s", reader, Privilege.USE_SCHEMA);
        FunctionsApi asDev = new FunctionsApi(UnityClient.as(port, key(dev)));
        FunctionsApi asReader = new FunctionsApi(UnityClient.as(port, key(reader)));

        // without CREATE_FUNCTION on the schema, no function is registered
        assertUnityError(() -> asReader.createFunction(request(python(catalog))), 403, "PERMISSION_DENIED");

        CreateFunction sql = sqlTableFunction(catalog);
        CreateFunction python = python(catalog);
        FunctionInfo sqlCreated = asDev.createFunction(request(sql));
        FunctionInfo pythonCreated = asDev.createFunction(request(python));

        // what the server adds: the caller owns and created it, now, under a fresh id and its full name
        for (FunctionInfo created : List.of(sqlCreated, pythonCreated)) {
            assertThat(created.getOwner()).isEqualTo(dev);
            assertThat(created.getCreatedBy()).isEqualTo(dev);
            assertThat(created.getUpdatedBy()).isEqualTo(dev);
            assertThat(created.getCreatedAt()).isPositive();
            assertThat(created.getUpdatedAt()).isEqualTo(created.getCreatedAt());
            assertThat(UUID.fromString(created.getFunctionId()).toString()).isEqualTo(created.getFunctionId());
            assertThat(created.getFullName()).isEqualTo(catalog + ".s." + created.getName());
        }
        assertThat(sqlCreated.getFunctionId()).isNotEqualTo(pythonCreated.getFunctionId());
        // the rest is exactly what was sent, every field, parameters in order
        assertThat(sqlCreated).isEqualTo(expected(sql, sqlCreated));
        assertThat(pythonCreated).isEqualTo(expected(python, pythonCreated));
        FunctionInfo sqlRead = asDev.getFunction(catalog + ".s.orders_above");
        FunctionInfo pythonRead = asDev.getFunction(catalog + ".s.lowercase");
        assertThat(sqlRead).isEqualTo(sqlCreated);
        assertThat(pythonRead).isEqualTo(pythonCreated);
        assertThat(sqlRead.getInputParams().getParameters())
                .extracting(FunctionParameterInfo::getName)
                .containsExactly("min_amount", "day");
        assertThat(sqlRead.getReturnParams().getParameters())
                .extracting(FunctionParameterInfo::getName)
                .containsExactly("id", "amount");

        // a page at a time, by name, each item whole
        ListFunctionsResponse first = asDev.listFunctions(catalog, "s", 1, null);
        assertThat(first.getFunctions()).containsExactly(pythonRead);
        assertThat(first.getNextPageToken()).isNotBlank();
        ListFunctionsResponse second = asDev.listFunctions(catalog, "s", 1, first.getNextPageToken());
        assertThat(second.getFunctions()).containsExactly(sqlRead);
        assertThat(second.getNextPageToken()).isNull();
        assertThat(new FunctionsApi(admin)
                        .listFunctions(catalog, "s", null, null)
                        .getFunctions())
                .containsExactly(pythonRead, sqlRead);

        // USE_CATALOG and USE_SCHEMA alone: no function listed, none readable
        assertThat(asReader.listFunctions(catalog, "s", null, null).getFunctions())
                .isEmpty();
        assertUnityError(() -> asReader.getFunction(catalog + ".s.lowercase"), 403, "PERMISSION_DENIED");

        // EXECUTE on one function (granted by its owner): that one is listed and readable, only it
        String lowercase = catalog + ".s.lowercase";
        List<PrivilegeAssignment> assignments = new GrantsApi(UnityClient.as(port, key(dev)))
                .update(
                        SecurableType.FUNCTION,
                        lowercase,
                        new UpdatePermissions()
                                .addChangesItem(new PermissionsChange()
                                        .principal(reader)
                                        .addAddItem(Privilege.EXECUTE)))
                .getPrivilegeAssignments();
        assertThat(assignments)
                .contains(new PrivilegeAssignment().principal(reader).privileges(List.of(Privilege.EXECUTE)));
        assertThat(asReader.listFunctions(catalog, "s", null, null).getFunctions())
                .containsExactly(pythonRead);
        assertThat(asReader.getFunction(lowercase)).isEqualTo(pythonRead);
        assertUnityError(() -> asReader.getFunction(catalog + ".s.orders_above"), 403, "PERMISSION_DENIED");

        // EXECUTE is a function's privilege: not grantable on a table
        String table = newTable();
        assertUnityError(
                () -> new GrantsApi(admin)
                        .update(
                                SecurableType.TABLE,
                                table,
                                new UpdatePermissions()
                                        .addChangesItem(new PermissionsChange()
                                                .principal(reader)
                                                .addAddItem(Privilege.EXECUTE))),
                400,
                "INVALID_ARGUMENT");

        // dropping needs ownership: EXECUTE is not enough
        assertUnityError(() -> asReader.deleteFunction(lowercase), 403, "PERMISSION_DENIED");
        assertThat(asDev.deleteFunction(lowercase)).isEqualTo(java.util.Map.of());
        assertUnityError(() -> new FunctionsApi(admin).getFunction(lowercase), 404, "NOT_FOUND", "FUNCTION_NOT_FOUND");
        assertUnityError(() -> new FunctionsApi(admin).deleteFunction(lowercase), 404, "NOT_FOUND");
        // its owner is forgotten with it: the former owner is a caller like any other
        assertUnityError(() -> asDev.getFunction(lowercase), 403, "PERMISSION_DENIED");
        assertThat(asDev.listFunctions(catalog, "s", null, null).getFunctions()).containsExactly(sqlRead);

        // its grants went with it: registered again under the same name, the reader does not see it
        asDev.createFunction(request(python(catalog)));
        assertThat(asReader.listFunctions(catalog, "s", null, null).getFunctions())
                .isEmpty();
        assertUnityError(() -> asReader.getFunction(lowercase), 403, "PERMISSION_DENIED");

        // the registrations and the drop are in the audit trail, under the function and its creator
        List<AuditEvent> trail = audit.list(new AuditQuery(dev, lowercase, null, null, null), Long.MAX_VALUE, 100);
        assertThat(trail)
                .filteredOn(e -> e.action().equals("POST /api/2.1/unity-catalog/functions"))
                .hasSize(2)
                .allSatisfy(e -> {
                    assertThat(e.securableType()).isEqualTo("function");
                    assertThat(e.securableName()).isEqualTo(lowercase);
                    assertThat(e.status()).isEqualTo(200);
                    assertThat(e.outcome()).isEqualTo("allowed");
                });
        assertThat(trail).extracting(AuditEvent::action).contains("DELETE /api/2.1/unity-catalog/functions/{name}");
    }

    @Test
    void refusalsAreUnityCatalogs() throws Exception {
        FunctionsApi functions = new FunctionsApi(admin);
        functions.createFunction(request(python(catalog)));

        // a second function of the same name
        assertUnityError(
                () -> functions.createFunction(request(python(catalog))),
                400,
                "RESOURCE_ALREADY_EXISTS",
                "ALREADY_EXISTS");
        // a schema or a function that is not there
        assertUnityError(
                () -> functions.createFunction(request(python(catalog).schemaName("nope"))),
                404,
                "SCHEMA_NOT_FOUND",
                "SCHEMA_NOT_FOUND");
        assertUnityError(
                () -> functions.listFunctions(catalog, "nope", null, null),
                404,
                "SCHEMA_NOT_FOUND",
                "SCHEMA_NOT_FOUND");
        assertUnityError(() -> functions.getFunction(catalog + ".s.nope"), 404, "NOT_FOUND", "FUNCTION_NOT_FOUND");
        assertUnityError(() -> functions.deleteFunction(catalog + ".s.nope"), 404, "NOT_FOUND", "FUNCTION_NOT_FOUND");
        assertUnityError(
                () -> new GrantsApi(admin).get(SecurableType.FUNCTION, catalog + ".s.nope", null),
                404,
                "NOT_FOUND",
                "FUNCTION_NOT_FOUND");
        assertThat(new GrantsApi(admin)
                        .get(SecurableType.FUNCTION, catalog + ".s.lowercase", null)
                        .getPrivilegeAssignments())
                .isEmpty();
        // names that are not a function's
        assertUnityError(() -> functions.getFunction(catalog + ".s"), 400, "INVALID_ARGUMENT", "INVALID_NAME");
        assertUnityError(() -> functions.deleteFunction("a.b.c.d"), 400, "INVALID_ARGUMENT", "INVALID_NAME");
        for (String bad : new String[] {"has space", "has.dot", "has/slash", ""}) {
            assertUnityError(
                    () -> functions.createFunction(request(python(catalog).name(bad))),
                    400,
                    "INVALID_ARGUMENT",
                    "INVALID_NAME");
        }
        assertUnityError(() -> functions.listFunctions(catalog, "s", -1, null), 400, "INVALID_ARGUMENT");

        // fields CreateFunction requires, each left out
        List<CreateFunction> missing = List.of(
                python(catalog).dataType(null),
                python(catalog).fullDataType(null),
                python(catalog).routineBody(null),
                python(catalog).routineDefinition(null),
                python(catalog).parameterStyle(null),
                python(catalog).isDeterministic(null),
                python(catalog).isNullCall(null),
                python(catalog).securityType(null),
                python(catalog).specificName(null),
                python(catalog)
                        .inputParams(params(param("s", ColumnTypeName.STRING, 0).typeName(null))),
                python(catalog)
                        .inputParams(params(param("s", ColumnTypeName.STRING, 0).typeText(null))),
                python(catalog)
                        .inputParams(params(param("s", ColumnTypeName.STRING, 0).typeJson(null))),
                python(catalog)
                        .inputParams(params(param("s", ColumnTypeName.STRING, 0).position(null))),
                python(catalog).inputParams(params(param(null, ColumnTypeName.STRING, 0))),
                python(catalog).routineDependencies(new DependencyList().addDependenciesItem(new Dependency())));
        for (CreateFunction incomplete : missing) {
            assertUnityError(
                    () -> functions.createFunction(request(incomplete.name("incomplete"))),
                    400,
                    "INVALID_ARGUMENT",
                    "VALIDATION_FAILED");
        }
        // values outside UC's enumerations, and no function_info at all (sent as raw JSON: UC's
        // client cannot say them)
        ObjectNode info = (ObjectNode)
                JSON.readTree(new ApiClient().getObjectMapper().writeValueAsString(request(python(catalog))))
                        .get("function_info");
        info.put("name", "odd");
        for (String[] field : new String[][] {
            {"routine_body", "JAVA"},
            {"data_type", "NUMBER"},
            {"parameter_style", "X"},
            {"security_type", "INVOKER"},
            {"sql_data_access", "MAYBE"}
        }) {
            ObjectNode odd = info.deepCopy();
            odd.put(field[0], field[1]);
            assertProblem(
                    http.post(
                            UnityFunctionsController.FUNCTIONS,
                            JSON.writeValueAsString(JSON.createObjectNode().set("function_info", odd))),
                    400,
                    "VALIDATION_FAILED");
        }
        assertProblem(http.post(UnityFunctionsController.FUNCTIONS, "{}"), 400, "VALIDATION_FAILED");
        // nothing refused was registered
        assertThat(functions.listFunctions(catalog, "s", null, null).getFunctions())
                .extracting(FunctionInfo::getName)
                .containsExactly("lowercase");

        // the same body with UC's values is taken: each refusal above was its one odd field
        ok(
                http.post(
                        UnityFunctionsController.FUNCTIONS,
                        JSON.writeValueAsString(JSON.createObjectNode().set("function_info", info))),
                200);

        // UC's own access-control test registers a function without sql_data_access: so may we
        FunctionInfo loose = functions.createFunction(
                request(python(catalog).name("loose").sqlDataAccess(null).inputParams(null)));
        assertThat(loose.getSqlDataAccess()).isNull();
        assertThat(loose.getInputParams()).isNull();
    }

    @Test
    void aSchemaHoldingAFunctionIsNotEmpty() throws Exception {
        new FunctionsApi(admin).createFunction(request(python(catalog)));
        SchemasApi schemas = new SchemasApi(admin);
        assertUnityError(() -> schemas.deleteSchema(catalog + ".s", false), 409, "ALREADY_EXISTS", "SCHEMA_NOT_EMPTY");
        assertThat(new FunctionsApi(admin).getFunction(catalog + ".s.lowercase").getName())
                .isEqualTo("lowercase");
        // with force, the function goes with the schema
        schemas.deleteSchema(catalog + ".s", true);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        assertUnityError(() -> new FunctionsApi(admin).getFunction(catalog + ".s.lowercase"), 404, "NOT_FOUND");
    }

    private void grant(SecurableType type, String name, String principal, Privilege... privileges) throws ApiException {
        new GrantsApi(admin)
                .update(
                        type,
                        name,
                        new UpdatePermissions()
                                .addChangesItem(new PermissionsChange()
                                        .principal(principal)
                                        .add(List.of(privileges))));
    }

    private String principal(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        principals.create(name, PrincipalType.USER);
        return name;
    }

    private String key(String principal) {
        return keys.createFor("functions-" + principal, principal, null).key();
    }

    private static void assertUnityError(ThrowingCall call, int status, String unityCode) {
        assertUnityError(call, status, unityCode, null);
    }

    /** UC's error shape: its code, a message, and (when {@code reason} is given) ours as the reason. */
    private static void assertUnityError(ThrowingCall call, int status, String unityCode, String reason) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status);
            JsonNode body = JSON.readTree(e.getResponseBody());
            assertThat(body.get("error_code").asString()).isEqualTo(unityCode);
            assertThat(body.get("message").asString()).isNotBlank();
            String actual = body.get("details").get(0).get("reason").asString();
            if (reason != null) {
                assertThat(actual).isEqualTo(reason);
            } else {
                assertThat(actual).isNotBlank();
            }
        });
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
