package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Two teams on one metastore: each sees and changes only what it was granted, on every table
 * endpoint; grants inherit downward and revoke at once; owners grant on what they created; a
 * refused request changes nothing. Principals and keys are made through the real stores (the
 * admin API that does the same is the gateway's, tested there).
 */
class GrantsTest extends MetadataTestBase {

    @Autowired
    PrincipalStore principals;

    @Autowired
    ApiKeyStore keys;

    private String suffix;
    private String team;
    private TestHttp alice;
    private TestHttp bob;
    private String aliceName;
    private String bobName;

    @BeforeEach
    void twoTeams() {
        suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        team = "sales_" + suffix;
        aliceName = "alice_" + suffix + "@example.com";
        bobName = "bob_" + suffix + "@example.com";
        principals.create(team, PrincipalType.GROUP);
        principals.create(aliceName, PrincipalType.USER);
        principals.create(bobName, PrincipalType.USER);
        principals.addMember(team, aliceName);
        alice = http.withKey(keys.createFor("alice", aliceName, null).key());
        bob = http.withKey(keys.createFor("bob", bobName, null).key());
    }

    @Test
    void aTeamSeesAndChangesOnlyWhatItWasGranted() {
        String table = newTable();
        String catalog = table.substring(0, table.indexOf('.'));

        // nothing granted yet: refused on every surface, nothing listed, nothing changed
        assertProblem(alice.get("/api/v1/tables/" + table), 403, "FORBIDDEN");
        assertProblem(alice.get("/api/v1/tables/" + table + "/snapshot"), 403, "FORBIDDEN");
        assertProblem(alice.get("/api/v1/tables/" + table + "/snapshot/files"), 403, "FORBIDDEN");
        assertProblem(alice.get("/api/v1/tables/" + table + "/history"), 403, "FORBIDDEN");
        assertProblem(alice.get("/api/v1/tables/" + table + "/snapshot/signed-files"), 403, "FORBIDDEN");
        assertProblem(alice.get("/api/v1/catalogs/" + catalog), 403, "FORBIDDEN");
        assertProblem(commit(alice, table, 0), 403, "FORBIDDEN");
        assertThat(catalogNames(alice)).doesNotContain(catalog);

        // the team may read everything in the catalog (granted on the catalog, inherited below)
        patch("catalog", catalog, team, List.of("USE_CATALOG", "USE_SCHEMA", "SELECT"), List.of());
        assertThat(ok(alice.get("/api/v1/tables/" + table), 200).get("version").asLong())
                .isZero();
        assertThat(catalogNames(alice)).contains(catalog);
        assertThat(ok(alice.get("/api/v1/tables?catalog_name=" + catalog + "&schema_name=s"), 200)
                        .get("tables"))
                .hasSize(1);
        // but not write it
        assertProblem(commit(alice, table, 0), 403, "FORBIDDEN");
        assertThat(version(table)).isZero();

        // MODIFY on the one table: alice commits, bob (another team) still gets nowhere
        patch("table", table, team, List.of("MODIFY"), List.of());
        ok(commit(alice, table, 0), 201);
        assertThat(version(table)).isEqualTo(1);
        assertProblem(bob.get("/api/v1/tables/" + table), 403, "FORBIDDEN");
        assertProblem(commit(bob, table, 1), 403, "FORBIDDEN");
        assertProblem(bob.get("/api/v1/schemas?catalog_name=" + catalog), 403, "FORBIDDEN");
        assertThat(catalogNames(bob)).doesNotContain(catalog);
        // a transaction needs MODIFY on every table it touches
        String other = newTable();
        patch("catalog", other.substring(0, other.indexOf('.')), team, List.of("USE_CATALOG", "USE_SCHEMA"), List.of());
        assertProblem(
                alice.post(
                        "/api/v1/transactions",
                        "{\"commits\":[" + txCommit(table, 1) + "," + txCommit(other, 0) + "]}"),
                403,
                "FORBIDDEN");
        assertThat(version(table)).isEqualTo(1);
        assertThat(version(other)).isZero();

        // where each privilege comes from
        JsonNode effective = ok(alice.get("/api/2.1/unity-catalog/effective-permissions/table/" + table), 200)
                .get("privilege_assignments")
                .get(0);
        assertThat(effective.get("principal").asString()).isEqualTo(aliceName);
        assertThat(held(effective))
                .contains("USE_CATALOG@catalog:" + catalog, "SELECT@catalog:" + catalog, "MODIFY@table:" + table);

        // asking what one holds on a table says nothing about whether it exists; asking about someone
        // else needs MANAGE
        assertThat(ok(bob.get("/api/2.1/unity-catalog/effective-permissions/table/" + table), 200)
                        .get("privilege_assignments")
                        .get(0)
                        .get("privileges"))
                .isEmpty();
        assertThat(ok(bob.get("/api/2.1/unity-catalog/effective-permissions/table/" + table + "_nope"), 200)
                        .get("privilege_assignments")
                        .get(0)
                        .get("privileges"))
                .isEmpty();
        assertProblem(
                bob.get("/api/2.1/unity-catalog/effective-permissions/table/" + table + "?principal=" + aliceName),
                403,
                "FORBIDDEN");

        // a revoke takes effect at once: MODIFY alone shows the table, not its data
        patch("catalog", catalog, team, List.of(), List.of("SELECT"));
        assertProblem(alice.get("/api/v1/tables/" + table + "/snapshot/files"), 403, "FORBIDDEN");
        assertThat(ok(alice.get("/api/v1/tables/" + table), 200).get("version").asLong())
                .isEqualTo(1);
        assertThat(ok(alice.get("/api/v1/tables?catalog_name=" + catalog + "&schema_name=s"), 200)
                        .get("tables"))
                .as("MODIFY alone still lists the table")
                .hasSize(1);
        // grants are managed only by owners and holders of MANAGE
        assertProblem(
                alice.send("PATCH", permissions("catalog", catalog), changes(aliceName, List.of("SELECT"), List.of())),
                403,
                "FORBIDDEN");
        assertThat(grantsOn("catalog", catalog)).doesNotContainKey(aliceName);
    }

    @Test
    void theCreatorOwnsWhatItCreatesAndGrantsOnIt() {
        assertProblem(alice.post("/api/v1/catalogs", "{\"name\":\"a_" + suffix + "\"}"), 403, "FORBIDDEN");
        patch("metastore", "metastore", aliceName, List.of("CREATE_CATALOG"), List.of());
        String catalog = "a_" + suffix;
        ok(alice.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        ok(alice.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        ok(alice.post("/api/v1/tables", tableBody(catalog, java.util.Map.of())), 201);
        String table = catalog + ".s.t";
        ok(commit(alice, table, 0), 201);
        assertThat(catalogNames(alice)).contains(catalog);
        assertThat(catalogNames(bob)).doesNotContain(catalog);

        // the owner grants bob read access to the one table
        ok(
                alice.send(
                        "PATCH", permissions("catalog", catalog), changes(bobName, List.of("USE_CATALOG"), List.of())),
                200);
        ok(
                alice.send(
                        "PATCH",
                        permissions("schema", catalog + ".s"),
                        changes(bobName, List.of("USE_SCHEMA"), List.of())),
                200);
        ok(alice.send("PATCH", permissions("table", table), changes(bobName, List.of("SELECT"), List.of())), 200);
        assertThat(ok(bob.get("/api/v1/tables/" + table), 200).get("version").asLong())
                .isEqualTo(1);
        assertProblem(commit(bob, table, 1), 403, "FORBIDDEN");
        assertProblem(bob.delete("/api/v1/tables/" + table), 403, "FORBIDDEN");
        assertThat(version(table)).isEqualTo(1);

        // the owner may drop the table, only an admin purges its files; a dropped table takes its
        // grants along: one created later under the name starts without them
        assertProblem(alice.delete("/api/v1/tables/" + table + "?purge=true"), 403, "FORBIDDEN");
        assertThat(version(table)).as("a refused purge drops nothing").isEqualTo(1);
        ok(http.delete("/api/v1/tables/" + table + "?purge=true"), 204);
        ok(alice.post("/api/v1/tables", tableBody(catalog, java.util.Map.of())), 201);
        assertThat(grantsOn("table", table)).isEmpty();
        assertProblem(bob.get("/api/v1/tables/" + table), 403, "FORBIDDEN");
    }

    @Test
    void aPrivilegeThatMeansNothingThereOrAnUnknownOneIsRefusedAndChangesNothing() {
        String table = newTable();
        assertProblem(
                http.send(
                        "PATCH", permissions("table", table), changes(aliceName, List.of("CREATE_CATALOG"), List.of())),
                400,
                "VALIDATION_FAILED");
        assertProblem(
                http.send(
                        "PATCH", permissions("table", table), changes(aliceName, List.of("SELECT", "FLY"), List.of())),
                400,
                "VALIDATION_FAILED");
        assertProblem(
                http.send(
                        "PATCH",
                        permissions("table", table),
                        changes("nobody_" + suffix, List.of("SELECT"), List.of())),
                404,
                "PRINCIPAL_NOT_FOUND");
        assertThat(grantsOn("table", table)).isEmpty();
        assertProblem(
                http.send("PATCH", permissions("table", table + "x"), changes(aliceName, List.of("SELECT"), List.of())),
                404,
                "TABLE_NOT_FOUND");
    }

    @Test
    void oldScopedKeysKeepTheirReachAndAnAdminScopeNeedsAnAdminPrincipal() {
        String table = newTable();
        TestHttp reader = http.withKey(keys.create("legacy-reader", Scope.READ).key());
        TestHttp writer = http.withKey(keys.create("legacy-writer", Scope.WRITE).key());
        assertThat(ok(reader.get("/api/v1/tables/" + table), 200).get("version").asLong())
                .isZero();
        assertProblem(commit(reader, table, 0), 403, "FORBIDDEN");
        ok(commit(writer, table, 0), 201);

        // an admin-scoped key of a principal that is no metastore admin is a read-write key
        TestHttp aliceAdminScoped = http.withKey(
                keys.createFor("alice-admin", aliceName, Scope.ADMIN).key());
        patch(
                "catalog",
                table.substring(0, table.indexOf('.')),
                aliceName,
                List.of("ALL_PRIVILEGES", "MANAGE"),
                List.of());
        assertProblem(aliceAdminScoped.delete("/api/v1/tables/" + table + "?purge=true"), 403, "FORBIDDEN");
        assertThat(version(table)).isEqualTo(1);
    }

    private HttpResponse<String> commit(TestHttp as, String table, long expected) {
        return as.post(
                "/api/v1/tables/" + table + "/commits",
                commitBody(expected, List.of(add("part-" + UUID.randomUUID() + ".parquet", 100))));
    }

    private static String txCommit(String table, long expected) {
        return "{\"table\":\"" + table + "\",\"expected_version\":" + expected + ",\"actions\":["
                + add("tx-" + UUID.randomUUID() + ".parquet", 100) + "]}";
    }

    private List<String> catalogNames(TestHttp as) {
        List<String> names = new ArrayList<>();
        ok(as.get("/api/v1/catalogs"), 200)
                .get("catalogs")
                .forEach(c -> names.add(c.get("name").asString()));
        return names;
    }

    private void patch(String type, String name, String principal, List<String> add, List<String> remove) {
        ok(http.send("PATCH", permissions(type, name), changes(principal, add, remove)), 200);
    }

    private java.util.Map<String, JsonNode> grantsOn(String type, String name) {
        java.util.Map<String, JsonNode> byPrincipal = new java.util.TreeMap<>();
        ok(http.get(permissions(type, name)), 200)
                .get("privilege_assignments")
                .forEach(a -> byPrincipal.put(a.get("principal").asString(), a.get("privileges")));
        return byPrincipal;
    }

    private static List<String> held(JsonNode assignment) {
        List<String> held = new ArrayList<>();
        assignment
                .get("privileges")
                .forEach(p -> held.add(p.get("privilege").asString() + "@"
                        + p.get("inherited_from_type").asString() + ":"
                        + p.get("inherited_from_name").asString()));
        return held;
    }

    private static String permissions(String type, String name) {
        return "/api/2.1/unity-catalog/permissions/" + type + "/" + name;
    }

    private static String changes(String principal, List<String> add, List<String> remove) {
        return JSON.writeValueAsString(java.util.Map.of(
                "changes", List.of(java.util.Map.of("principal", principal, "add", add, "remove", remove))));
    }
}
