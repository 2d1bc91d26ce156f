package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The admin API for keys: create (key shown once), list, get, revoke. */
class ApiKeyAdminTest extends GatewayTestBase {

    @Test
    void keyLifecycle() throws Exception {
        HttpResponse<String> created =
                admin.post("/api/v1/admin/api-keys", "{\"name\":\"nightly-etl\",\"scope\":\"write\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode body = json(created);
        String id = body.path("id").asString();
        String key = body.path("key").asString();
        assertThat(key).startsWith("dp_");
        assertThat(body.path("scope").asString()).isEqualTo("write");
        assertThat(body.path("prefix").asString())
                .isEqualTo(key.substring(0, body.path("prefix").asString().length()));
        assertThat(body.path("created_at").asString()).isNotBlank();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/admin/api-keys/" + id);

        // the new key works through the gateway with its scope
        TestHttp pipeline = admin.withKey(key);
        assertThat(pipeline.post("/api/v1/jobs/nightly/runs", "{}").statusCode())
                .isEqualTo(200);

        // shown once: listing and getting never return the key again
        HttpResponse<String> list = admin.get("/api/v1/admin/api-keys");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(key);
        JsonNode listed = null;
        for (JsonNode k : json(list).path("api_keys")) {
            if (k.path("id").asString().equals(id)) {
                listed = k;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.path("name").asString()).isEqualTo("nightly-etl");
        assertThat(listed.path("active").asBoolean()).isTrue();
        assertThat(listed.has("key")).isFalse();
        HttpResponse<String> one = admin.get("/api/v1/admin/api-keys/" + id);
        assertThat(one.body()).doesNotContain(key);

        // revoked: refused at once by the gateway that revoked it (another service's cache drops it
        // within ApiKeyStore.CACHE_TTL: ConventionsTest), listed as inactive, a second revoke is a no-op
        assertThat(admin.delete("/api/v1/admin/api-keys/" + id).statusCode()).isEqualTo(204);
        assertProblem(pipeline.get("/api/v1/jobs"), 401, "UNAUTHENTICATED");
        assertThat(json(admin.get("/api/v1/admin/api-keys/" + id))
                        .path("active")
                        .asBoolean())
                .isFalse();
        assertThat(admin.delete("/api/v1/admin/api-keys/" + id).statusCode()).isEqualTo(204);
    }

    @Test
    void badRequestsAreProblemsAndCreateNothing() {
        int before = json(admin.get("/api/v1/admin/api-keys")).path("api_keys").size();
        assertProblem(
                admin.post("/api/v1/admin/api-keys", "{\"name\":\"x\",\"scope\":\"root\"}"), 400, "VALIDATION_FAILED");
        assertProblem(admin.post("/api/v1/admin/api-keys", "{\"scope\":\"read\"}"), 400, "VALIDATION_FAILED");
        assertProblem(admin.post("/api/v1/admin/api-keys", "{\"name\":\"x\",\"scope\":"), 400, "MALFORMED_JSON");
        assertThat(json(admin.get("/api/v1/admin/api-keys")).path("api_keys").size())
                .isEqualTo(before);
    }

    @Test
    void unknownKeyIdIs404() {
        assertProblem(admin.delete("/api/v1/admin/api-keys/key_nope"), 404, "API_KEY_NOT_FOUND");
        assertProblem(admin.get("/api/v1/admin/api-keys/key_nope"), 404, "API_KEY_NOT_FOUND");
    }

    @Test
    void onlyAdminsManageKeys() {
        String readKey = json(admin.post("/api/v1/admin/api-keys", "{\"name\":\"reader\",\"scope\":\"read\"}"))
                .path("key")
                .asString();
        TestHttp reader = admin.withKey(readKey);
        assertProblem(reader.get("/api/v1/admin/api-keys"), 403, "FORBIDDEN");
        assertProblem(reader.post("/api/v1/admin/api-keys", "{\"name\":\"x\",\"scope\":\"admin\"}"), 403, "FORBIDDEN");
        assertProblem(admin.withKey(null).get("/api/v1/admin/api-keys"), 401, "UNAUTHENTICATED");
    }
}
