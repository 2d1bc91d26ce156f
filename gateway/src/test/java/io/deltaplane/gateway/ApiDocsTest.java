package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** Swagger UI on the gateway lists the three services' documents, which it proxies openly. */
class ApiDocsTest extends GatewayTestBase {

    @ParameterizedTest
    @ValueSource(strings = {"metadata", "lineage", "ingest"})
    void eachServiceDocumentIsProxiedWithoutAKey(String service) {
        RecordingBackend backend = switch (service) {
            case "metadata" -> METADATA;
            case "lineage" -> LINEAGE;
            default -> INGEST;
        };
        backend.respondWith(r ->
                RecordingBackend.Reply.json(200, "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"" + service + "\"}}"));

        HttpResponse<String> response = admin.withKey(null).get("/v3/api-docs/" + service);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("info").path("title").asString()).isEqualTo(service);
        assertThat(backend.received()).hasSize(1);
        assertThat(backend.last().path()).isEqualTo("/v3/api-docs");
    }

    @Test
    void swaggerUiListsEveryService() {
        HttpResponse<String> ui = admin.withKey(null).get("/swagger-ui.html");
        assertThat(ui.statusCode()).isEqualTo(302);
        String location = ui.headers().firstValue("Location").orElseThrow();
        assertThat(location).endsWith("/swagger-ui/index.html");
        assertThat(admin.withKey(null).get("/swagger-ui/index.html").statusCode())
                .isEqualTo(200);

        HttpResponse<String> config = admin.withKey(null).get("/v3/api-docs/gateway/swagger-config");
        assertThat(config.statusCode()).as(config.body()).isEqualTo(200);
        JsonNode urls = json(config).path("urls");
        assertThat(urls.findValuesAsString("url"))
                .contains("/v3/api-docs/metadata", "/v3/api-docs/lineage", "/v3/api-docs/ingest");
    }

    @Test
    void gatewayDocumentDescribesTheAdminApiAndTheKeySchemes() {
        HttpResponse<String> response = admin.withKey(null).get("/v3/api-docs/gateway");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode doc = json(response);
        assertThat(doc.path("paths").has("/api/v1/admin/api-keys")).isTrue();
        assertThat(doc.path("components")
                        .path("securitySchemes")
                        .path("bearerAuth")
                        .path("scheme")
                        .asString())
                .isEqualTo("bearer");
        assertThat(doc.path("security").isArray()).isTrue();
        assertThat(doc.path("servers").path(0).path("url").asString()).isEqualTo("/");
        // errors are documented as problem+json, and the models use the wire's snake_case names
        JsonNode post = doc.path("paths").path("/api/v1/admin/api-keys").path("post");
        assertThat(post.path("responses").path("403").path("content").has("application/problem+json"))
                .isTrue();
        assertThat(doc.path("components")
                        .path("schemas")
                        .path("Problem")
                        .path("properties")
                        .has("error_code"))
                .isTrue();
        assertThat(doc.path("components")
                        .path("schemas")
                        .path("ApiKeyResponse")
                        .path("properties")
                        .has("created_at"))
                .isTrue();
    }
}
