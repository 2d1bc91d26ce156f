package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.AuthorizationProbe;
import io.deltaplane.testing.TestHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint metadata-service routes × every scope × every spelling of its path answers what the
 * scope allows (see {@link AuthorizationProbe}); endpoints come from the handler mappings, so a new
 * one is covered without editing this test. Plus the one decision made on a bound value: purging.
 */
class EndpointAuthorizationTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void everyEndpointAnswersWhatTheScopeAllowsHoweverThePathIsSpelled() throws Exception {
        List<AuthorizationProbe.Endpoint> endpoints = AuthorizationProbe.endpoints(mapping);
        assertThat(endpoints).extracting(AuthorizationProbe.Endpoint::pattern).contains("/api/v1/tables/{fullName}");
        int[] requests = {0};
        List<String> violations = new AuthorizationProbe(
                        "http://localhost:" + port,
                        Map.of(
                                AuthorizationProbe.Scope.READ,
                                        keys.create("probe-read", Scope.READ).key(),
                                AuthorizationProbe.Scope.WRITE,
                                        keys.create("probe-write", Scope.WRITE).key(),
                                AuthorizationProbe.Scope.ADMIN, ADMIN_KEY))
                .probe(endpoints, requests);
        assertThat(violations).as("%d requests", requests[0]).isEmpty();
    }

    /**
     * The grants dimension: a principal holding no grant gets 403 problem+json from every endpoint
     * that names a securable — filled in with a real table, its schema and catalog, so a missing
     * check would answer 200 — and nothing changes; endpoints that take the securable from the body
     * or the query are tried with it there.
     */
    @Test
    void everyEndpointNamingASecurableRefusesAPrincipalWithoutGrants(@Autowired PrincipalStore principals) {
        String table = newTable();
        String schema = table.substring(0, table.lastIndexOf('.'));
        String catalog = table.substring(0, table.indexOf('.'));
        String nobody = "nogrants_" + UUID.randomUUID().toString().substring(0, 8);
        principals.create(nobody, PrincipalType.SERVICE_PRINCIPAL);
        TestHttp asNobody =
                http.withKey(keys.createFor("nogrants", nobody, null).key());

        // each request sent, once each (two patterns filled in alike count once), each answered 403
        java.util.Set<String> probed = new java.util.TreeSet<>();
        for (AuthorizationProbe.Endpoint endpoint : AuthorizationProbe.endpoints(mapping)) {
            String pattern = endpoint.pattern();
            if (pattern.startsWith("/api/2.1/unity-catalog/effective-permissions/")) {
                continue; // what one holds oneself: answered from one's grants, for anyone (GrantsTest)
            }
            String path = pattern.replace("{securableType}/{fullName}", "table/" + table)
                    .replace("/api/v1/tables/{fullName}", "/api/v1/tables/" + table)
                    .replace("/api/v1/schemas/{fullName}", "/api/v1/schemas/" + schema)
                    .replace("/api/v1/catalogs/{name}", "/api/v1/catalogs/" + catalog)
                    .replace("/unity-catalog/tables/{fullName}", "/unity-catalog/tables/" + table)
                    .replace("/unity-catalog/schemas/{fullName}", "/unity-catalog/schemas/" + schema)
                    .replace("/unity-catalog/catalogs/{name}", "/unity-catalog/catalogs/" + catalog)
                    .replace("/catalogs/{catalog}/schemas/{schema}", "/catalogs/" + catalog + "/schemas/s")
                    .replace("/tables/{table}", "/tables/t");
            if (path.contains("{") || path.equals(pattern)) {
                continue; // names no securable in its path: below
            }
            if (pattern.endsWith("/changes")) {
                path += "?from_version=0"; // its one required parameter, checked before the handler runs
            }
            String body = List.of("POST", "PUT", "PATCH").contains(endpoint.method()) ? "{}" : null;
            if (endpoint.method().equals("HEAD")) { // a status and no body, by the method's definition
                assertThat(asNobody.send("HEAD", path, null).statusCode())
                        .as(path)
                        .isEqualTo(403);
            } else {
                assertProblem(asNobody.send(endpoint.method(), path, body), 403, "FORBIDDEN");
            }
            probed.add(endpoint.method() + " " + path);
        }
        assertThat(probed).as("endpoints naming a securable in their path").hasSizeGreaterThanOrEqualTo(30);

        assertProblem(
                asNobody.post(
                        "/api/v1/catalogs",
                        "{\"name\":\"n_" + UUID.randomUUID().toString().substring(0, 8) + "\"}"),
                403,
                "FORBIDDEN");
        assertProblem(
                asNobody.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"x\"}"),
                403,
                "FORBIDDEN");
        assertProblem(asNobody.post("/api/v1/tables", tableBody(catalog, Map.of())), 403, "FORBIDDEN");
        String uc = "/api/2.1/unity-catalog";
        assertProblem(asNobody.post(uc + "/catalogs", "{\"name\":\"uc_nobody\"}"), 403, "FORBIDDEN");
        assertProblem(
                asNobody.post(uc + "/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"x\"}"),
                403,
                "FORBIDDEN");
        assertProblem(
                asNobody.post(
                        uc + "/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"x\","
                                + "\"table_type\":\"EXTERNAL\",\"storage_location\":\"file:/tmp/x\"}"),
                403,
                "FORBIDDEN");
        assertProblem(asNobody.get(uc + "/schemas?catalog_name=" + catalog), 403, "FORBIDDEN");
        assertProblem(asNobody.get(uc + "/tables?catalog_name=" + catalog + "&schema_name=s"), 403, "FORBIDDEN");
        assertProblem(asNobody.get(uc + "/table-summaries?catalog_name=" + catalog), 403, "FORBIDDEN");
        assertProblem(
                asNobody.post(
                        "/api/v1/tables/import",
                        "{\"catalog_name\":\"" + catalog
                                + "\",\"schema_name\":\"s\",\"name\":\"x\",\"location\":\"file:/tmp/x\"}"),
                403,
                "FORBIDDEN");
        assertProblem(
                asNobody.post(
                        "/api/v1/transactions",
                        "{\"commits\":[{\"table\":\"" + table + "\",\"expected_version\":0,\"actions\":["
                                + add("x.parquet", 1) + "]}]}"),
                403,
                "FORBIDDEN");
        assertProblem(asNobody.get("/api/v1/schemas?catalog_name=" + catalog), 403, "FORBIDDEN");
        assertProblem(asNobody.get("/api/v1/tables?catalog_name=" + catalog + "&schema_name=s"), 403, "FORBIDDEN");
        assertThat(ok(asNobody.get("/api/v1/catalogs"), 200).get("catalogs")).isEmpty();

        // nothing changed
        assertThat(version(table)).isZero();
        assertThat(http.get("/api/v1/schemas/" + catalog + ".x").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyAdminPurgesDecidedOnTheBoundValue() throws Exception {
        String table = newTable();
        Path location = Path.of(java.net.URI.create(
                JSON.readTree(http.get("/api/v1/tables/" + table).body())
                        .get("location")
                        .asString()));
        var writer = http.withKey(keys.create("purge-writer", Scope.WRITE).key());
        for (String spelling : new String[] {"1", "yes", "on", "TRUE", "true%20", "%20true"}) {
            assertThat(writer.delete("/api/v1/tables/" + table + "?purge=" + spelling)
                            .statusCode())
                    .as("purge=" + spelling)
                    .isEqualTo(400);
        }
        assertThat(writer.delete("/api/v1/tables/" + table + "?purge=true").statusCode())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/tables/" + table).statusCode()).isEqualTo(200);
        assertThat(Files.exists(location)).isTrue();
        assertThat(http.delete("/api/v1/tables/" + table + "?purge=true").statusCode())
                .isEqualTo(204);
    }
}
