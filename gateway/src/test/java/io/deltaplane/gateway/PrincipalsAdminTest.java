package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Principals, groups and keys that act for a principal, through the gateway's admin API: what an
 * admin does to give a team its own keys, and what {@code /api/v1/me} then says to each of them.
 */
class PrincipalsAdminTest extends GatewayTestBase {

    @Test
    void anAdminMakesATeamGroupAndKeysForItsMembers() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "sales_" + suffix;
        String alice = "alice_" + suffix + "@example.com";
        assertStatus(admin.post("/api/v1/admin/principals", "{\"name\":\"" + group + "\",\"type\":\"group\"}"), 201);
        assertStatus(admin.post("/api/v1/admin/principals", "{\"name\":\"" + alice + "\",\"type\":\"user\"}"), 201);
        assertStatus(admin.put("/api/v1/admin/groups/" + group + "/members/" + alice, ""), 204);
        assertThat(names(json(admin.get("/api/v1/admin/groups/" + group + "/members"))
                        .path("members")))
                .containsExactly(alice);
        assertThat(names(json(admin.get("/api/v1/admin/principals/" + alice)).path("groups")))
                .containsExactly(group);

        // a key for alice acts as alice: /me says who, and which groups
        HttpResponse<String> created =
                admin.post("/api/v1/admin/api-keys", "{\"name\":\"alice-laptop\",\"principal\":\"" + alice + "\"}");
        assertStatus(created, 201);
        assertThat(json(created).path("principal").asString()).isEqualTo(alice);
        TestHttp asAlice = admin.withKey(json(created).path("key").asString());
        JsonNode me = json(asAlice.get("/api/v1/me"));
        assertThat(me.path("principal").asString()).isEqualTo(alice);
        assertThat(me.path("type").asString()).isEqualTo("user");
        assertThat(names(me.path("groups"))).containsExactly(group);
        assertThat(me.path("metastore_admin").asBoolean()).isFalse();
        // the key was not narrowed, but alice is no metastore admin: no admin API for her
        assertThat(me.path("scope").asString()).isEqualTo("write");
        assertProblem(asAlice.get("/api/v1/admin/principals"), 403, "FORBIDDEN");

        // she makes herself a read-only key, never a wider one
        HttpResponse<String> own = asAlice.post("/api/v1/me/api-keys", "{\"name\":\"dashboards\",\"scope\":\"read\"}");
        assertStatus(own, 201);
        assertThat(json(own).path("principal").asString()).isEqualTo(alice);
        assertProblem(asAlice.post("/api/v1/me/api-keys", "{\"name\":\"root\",\"scope\":\"admin\"}"), 403, "FORBIDDEN");
        TestHttp readOnly = admin.withKey(json(own).path("key").asString());
        assertThat(json(readOnly.get("/api/v1/me")).path("scope").asString()).isEqualTo("read");
        assertProblem(readOnly.post("/api/v1/me/api-keys", "{\"name\":\"more\"}"), 403, "FORBIDDEN");

        // made a metastore admin (through the group), alice's key reaches the admin API within the cache time
        assertStatus(admin.put("/api/v1/admin/groups/metastore_admins/members/" + group, ""), 204);
        awaitStatus(asAlice, "/api/v1/admin/principals", 200);
        assertThat(json(asAlice.get("/api/v1/me")).path("metastore_admin").asBoolean())
                .isTrue();
        assertStatus(admin.delete("/api/v1/admin/groups/metastore_admins/members/" + group), 204);
        awaitStatus(asAlice, "/api/v1/admin/principals", 403);
    }

    @Test
    void badRequestsAreProblemsAndChangeNothing() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        assertProblem(
                admin.post("/api/v1/admin/principals", "{\"name\":\"x_" + suffix + "\",\"type\":\"robot\"}"),
                400,
                "VALIDATION_FAILED");
        assertProblem(
                admin.post("/api/v1/admin/principals", "{\"name\":\"bad name\",\"type\":\"user\"}"),
                400,
                "INVALID_NAME");
        assertProblem(admin.get("/api/v1/admin/principals/x_" + suffix), 404, "PRINCIPAL_NOT_FOUND");
        String user = "u_" + suffix;
        assertStatus(admin.post("/api/v1/admin/principals", "{\"name\":\"" + user + "\",\"type\":\"user\"}"), 201);
        assertProblem(
                admin.post("/api/v1/admin/principals", "{\"name\":\"" + user + "\",\"type\":\"group\"}"),
                409,
                "ALREADY_EXISTS");
        // only groups have members; a group cannot end up inside itself
        assertProblem(admin.put("/api/v1/admin/groups/" + user + "/members/admin", ""), 400, "VALIDATION_FAILED");
        String outer = "outer_" + suffix;
        String inner = "inner_" + suffix;
        assertStatus(admin.post("/api/v1/admin/principals", "{\"name\":\"" + outer + "\",\"type\":\"group\"}"), 201);
        assertStatus(admin.post("/api/v1/admin/principals", "{\"name\":\"" + inner + "\",\"type\":\"group\"}"), 201);
        assertStatus(admin.put("/api/v1/admin/groups/" + outer + "/members/" + inner, ""), 204);
        assertProblem(admin.put("/api/v1/admin/groups/" + inner + "/members/" + outer, ""), 400, "VALIDATION_FAILED");
        // a principal holding a key cannot be deleted; without one it can
        assertStatus(admin.post("/api/v1/admin/api-keys", "{\"name\":\"k\",\"principal\":\"" + user + "\"}"), 201);
        assertProblem(admin.delete("/api/v1/admin/principals/" + user), 409, "PRINCIPAL_IN_USE");
        assertProblem(admin.delete("/api/v1/admin/principals/metastore_admins"), 409, "PRINCIPAL_IN_USE");
        assertStatus(admin.delete("/api/v1/admin/principals/" + inner), 204);
        assertThat(json(admin.get("/api/v1/admin/groups/" + outer + "/members")).path("members"))
                .isEmpty();
        assertProblem(
                admin.post("/api/v1/admin/api-keys", "{\"name\":\"k\",\"principal\":\"nobody_" + suffix + "\"}"),
                404,
                "PRINCIPAL_NOT_FOUND");
    }

    private void awaitStatus(TestHttp as, String path, int status) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        int last;
        while ((last = as.get(path).statusCode()) != status) {
            assertThat(System.nanoTime())
                    .as("%s answered %d, waiting for %d", path, last, status)
                    .isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static void assertStatus(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.asString()));
        return names;
    }
}
