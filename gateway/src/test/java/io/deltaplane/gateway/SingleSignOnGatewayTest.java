package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.testing.OidcProvider;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Single sign-on through the gateway, against a real OpenID Connect provider: the gateway checks a
 * token as it checks a key (grants, admin paths, the audit trail, 401 before anything is routed)
 * and forwards the request with the token unchanged, for the service to check again itself.
 */
class SingleSignOnGatewayTest extends GatewayTestBase {

    static final OidcProvider PROVIDER = OidcProvider.start();

    @DynamicPropertySource
    static void singleSignOn(DynamicPropertyRegistry registry) {
        registry.add("deltaplane.security.oidc.issuers", PROVIDER::issuer);
        registry.add("deltaplane.security.oidc.audience", () -> OidcProvider.AUDIENCE);
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    @Autowired
    PrincipalStore principals;

    @Autowired
    AuditLog audit;

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    TestHttp as(String token) {
        return admin.withKey(token);
    }

    @Test
    void aTokenReachesTheServiceUnchanged() {
        String user = unique("carol") + "@example.com";
        String token = PROVIDER.token("sub-" + user, Map.of("email", user));

        HttpResponse<String> response = as(token).get("/api/v1/catalogs");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("backend").asString()).isEqualTo("metadata");
        assertThat(METADATA.last().header("Authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void meShowsTheTokensPrincipalAndTheGroupsItActsWith() {
        String user = unique("dave") + "@example.com";
        String analysts = unique("analysts");
        principals.create(analysts, PrincipalType.GROUP);
        String token = PROVIDER.token(
                "sub-" + user, Map.of("email", user, "groups", List.of(analysts, "unknown-" + analysts)));

        HttpResponse<String> response = as(token).get("/api/v1/me");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode me = json(response);
        assertThat(me.path("principal").asString()).isEqualTo(user);
        assertThat(me.path("type").asString()).isEqualTo("user");
        assertThat(me.path("groups").values()).extracting(JsonNode::asString).containsExactly(analysts);
        assertThat(me.path("metastore_admin").asBoolean()).isFalse();
        assertThat(me.path("scope").asString()).isEqualTo("write");
        assertThat(me.path("api_key_id").isNull() || me.path("api_key_id").isMissingNode())
                .isTrue();
    }

    @Test
    void theAdminApiIsForMetastoreAdminsOnlyAndRefusalsAreAuditedWithTheIssuerAndSubject() {
        String user = unique("erin") + "@example.com";
        String subject = "sub-" + UUID.randomUUID();
        String token = PROVIDER.token(subject, Map.of("email", user));
        Instant before = Instant.now().minusSeconds(1);

        assertProblem(as(token).get("/api/v1/admin/principals"), 403, "FORBIDDEN");
        List<AuditEvent> events = audit.list(new AuditQuery(user, null, null, before, null), Long.MAX_VALUE, 10);
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.authentication()).isEqualTo("oidc:" + PROVIDER.issuer() + "|" + subject);
            assertThat(event.outcome()).isEqualTo("denied");
            assertThat(event.service()).isEqualTo("gateway");
        });

        // once the principal is a metastore admin, the same kind of token administers
        principals.addMember(PrincipalStore.METASTORE_ADMINS, user);
        HttpResponse<String> listed =
                as(PROVIDER.token(subject, Map.of("email", user))).get("/api/v1/admin/principals");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(as(token).get("/api/v1/me").body()).contains("\"scope\":\"admin\"");
    }

    @Test
    void aRefusedTokenIs401AndNothingIsRouted() {
        String user = unique("mallory") + "@example.com";
        String forged = OidcProvider.hmacSigned(
                PROVIDER.token("sub-" + user, Map.of("email", user)),
                "a-secret-of-the-callers-choosing-32b".getBytes(StandardCharsets.UTF_8));
        assertProblem(as(forged).get("/api/v1/catalogs"), 401, "UNAUTHENTICATED");
        String otherAudience = PROVIDER.token("sub-" + user, List.of("another-app"), Map.of("email", user), 3600);
        assertProblem(as(otherAudience).post("/api/v1/jobs/j/runs", "{}"), 401, "UNAUTHENTICATED");
        assertThat(METADATA.received()).isEmpty();
        assertThat(LINEAGE.received()).isEmpty();
        assertThat(principals.find(user)).isEmpty();
    }

    @Test
    void aSingleSignOnCallerMakesItsOwnApiKeysNoWiderThanItself() {
        String user = unique("frank") + "@example.com";
        TestHttp caller = as(PROVIDER.token("sub-" + user, Map.of("email", user)));

        assertProblem(
                caller.post("/api/v1/me/api-keys", "{\"name\":\"laptop\",\"scope\":\"admin\"}"), 403, "FORBIDDEN");
        HttpResponse<String> created = caller.post("/api/v1/me/api-keys", "{\"name\":\"laptop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode key = json(created);
        assertThat(key.path("principal").asString()).isEqualTo(user);
        assertThat(key.path("scope").asString()).isEqualTo("write");

        JsonNode me = json(admin.withKey(key.path("key").asString()).get("/api/v1/me"));
        assertThat(me.path("principal").asString()).isEqualTo(user);
        assertThat(me.path("api_key_id").asString()).isEqualTo(key.path("id").asString());
    }
}
