package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The audit trail through the gateway: what the gateway refuses itself is recorded there (a request
 * it routes is recorded by the service), admins read and verify it, others only for what they manage.
 */
class AuditApiTest extends GatewayTestBase {

    @Test
    void aRefusalAtTheGatewayIsInTheTrailAndOnlyAdminsReadAllOfIt() {
        String bogus = "dp_bogus-" + UUID.randomUUID();
        HttpResponse<String> refused = admin.withKey(bogus).post("/api/v1/tables/main.s.t/commits", "{}");
        assertThat(refused.statusCode()).isEqualTo(401);
        String requestId = refused.headers().firstValue("X-Request-Id").orElseThrow();

        JsonNode events = json(admin.get("/api/v1/audit?action=POST%20/api/v1/tables/main.s.t/commits"))
                .path("events");
        JsonNode row = null;
        for (JsonNode event : events) {
            if (requestId.equals(event.path("request_id").asString())) {
                row = event;
            }
        }
        assertThat(row).as("the refused request's row in %s", events).isNotNull();
        assertThat(row.path("outcome").asString()).isEqualTo("denied");
        assertThat(row.path("status").asInt()).isEqualTo(401);
        assertThat(row.path("authentication").asString()).isEqualTo("none");
        assertThat(row.path("service").asString()).isEqualTo("gateway");
        assertThat(row.toString()).doesNotContain(bogus);

        // a key that is no metastore admin reads its own requests and what it manages, nothing else
        HttpResponse<String> created =
                admin.post("/api/v1/admin/api-keys", "{\"name\":\"auditor\",\"scope\":\"write\"}");
        TestHttp writer = admin.withKey(json(created).path("key").asString());
        String writerPrincipal = json(created).path("principal").asString();
        assertThat(writer.post("/api/v1/me/api-keys", "{\"name\":\"laptop\"}").statusCode())
                .isEqualTo(201);
        JsonNode own = json(writer.get("/api/v1/audit")).path("events");
        assertThat(own).isNotEmpty();
        own.forEach(event -> assertThat(event.path("principal").asString()).isEqualTo(writerPrincipal));
        assertProblem(writer.get("/api/v1/audit?principal=admin"), 403, "FORBIDDEN");
        assertProblem(writer.get("/api/v1/admin/audit/verify"), 403, "FORBIDDEN");

        JsonNode verified = json(admin.get("/api/v1/admin/audit/verify"));
        assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
    }
}
