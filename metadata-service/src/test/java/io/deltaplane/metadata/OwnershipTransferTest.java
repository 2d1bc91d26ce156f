package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Ownership is transferred with Unity Catalog's PATCH on a catalog, a schema or a table ({@code
 * owner}): only the owner, a holder of MANAGE or a metastore admin may; the new owner holds every
 * privilege there, the old one keeps only its grants; a refused transfer changes nothing.
 */
class OwnershipTransferTest extends MetadataTestBase {

    private static final String UC = "/api/2.1/unity-catalog";

    @Autowired
    PrincipalStore principals;

    @Autowired
    ApiKeyStore keys;

    private String aliceName;
    private String bobName;
    private TestHttp alice;
    private TestHttp bob;

    @BeforeEach
    void twoPeople() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        aliceName = "alice_" + suffix + "@example.com";
        bobName = "bob_" + suffix + "@example.com";
        principals.create(aliceName, PrincipalType.USER);
        principals.create(bobName, PrincipalType.USER);
        alice = http.withKey(keys.createFor("alice", aliceName, null).key());
        bob = http.withKey(keys.createFor("bob", bobName, null).key());
    }

    @Test
    void aTablesOwnerIsTransferredAndTheNewOwnerHoldsEveryPrivilege() {
        String table = newTable();
        String url = UC + "/tables/" + table;
        String catalog = table.substring(0, table.indexOf('.'));
        // both may reach the catalog's tables (owning a table does not open its catalog, as in UC)
        for (String who : List.of(aliceName, bobName)) {
            ok(
                    http.send(
                            "PATCH",
                            UC + "/permissions/catalog/" + catalog,
                            "{\"changes\":[{\"principal\":\"" + who + "\",\"add\":[\"USE_CATALOG\",\"USE_SCHEMA\"]}]}"),
                    200);
        }
        // bob holds nothing: he may neither take the table nor write it
        assertProblem(bob.send("PATCH", url, owner(bobName)), 403, "FORBIDDEN");
        assertProblem(commit(bob, table, 0), 403, "FORBIDDEN");
        // nor may the admin give it to nobody, or give a table that is not there
        assertProblem(http.send("PATCH", url, owner("nobody_" + UUID.randomUUID())), 404, "PRINCIPAL_NOT_FOUND");
        assertThat(ok(http.get(url), 200).get("owner").asString()).isNotEqualTo(bobName);
        assertThat(http.send("PATCH", UC + "/tables/" + table + "_gone", owner(bobName))
                        .statusCode())
                .isEqualTo(404);

        assertThat(ok(http.send("PATCH", url, owner(bobName)), 200).get("owner").asString())
                .isEqualTo(bobName);
        assertThat(ok(http.get(url), 200).get("owner").asString()).isEqualTo(bobName);
        // /api/v1 answers the same owner, in the table and in its schema's listing
        assertThat(ok(http.get("/api/v1/tables/" + table), 200).get("owner").asString())
                .isEqualTo(bobName);
        String[] parts = table.split("\\.");
        assertThat(ok(http.get("/api/v1/tables?catalog_name=" + parts[0] + "&schema_name=" + parts[1]), 200)
                        .get("tables")
                        .findValuesAsString("owner"))
                .contains(bobName);
        ok(commit(bob, table, 0), 201);

        // the owner passes it on, and keeps nothing
        ok(bob.send("PATCH", url, owner(aliceName)), 200);
        assertProblem(commit(bob, table, 1), 403, "FORBIDDEN");
        ok(commit(alice, table, 1), 201);
    }

    @Test
    void catalogsAndSchemasAreTransferredTheSameWay() {
        String catalog = newCatalogWithSchemaS();
        ok(http.send("PATCH", UC + "/catalogs/" + catalog, owner(aliceName)), 200);
        assertThat(ok(http.get(UC + "/catalogs/" + catalog), 200).get("owner").asString())
                .isEqualTo(aliceName);
        // owning the catalog, alice holds everything inside it
        ok(alice.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"t2\"}"), 201);
        assertProblem(
                bob.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"t3\"}"),
                403,
                "FORBIDDEN");

        ok(alice.send("PATCH", UC + "/schemas/" + catalog + ".s", owner(bobName)), 200);
        assertThat(ok(http.get(UC + "/schemas/" + catalog + ".s"), 200)
                        .get("owner")
                        .asString())
                .isEqualTo(bobName);
        assertThat(http.send("PATCH", UC + "/schemas/" + catalog + ".gone", owner(bobName))
                        .statusCode())
                .isEqualTo(404);
    }

    private static String owner(String principal) {
        return "{\"owner\":\"" + principal + "\"}";
    }

    private HttpResponse<String> commit(TestHttp as, String table, long expected) {
        return as.post(
                "/api/v1/tables/" + table + "/commits",
                commitBody(expected, List.of(add("part-" + UUID.randomUUID() + ".parquet", 100))));
    }
}
