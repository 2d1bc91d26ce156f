package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The gateway turns away unauthenticated and under-scoped calls before any service sees them. */
class EdgeAuthenticationTest extends GatewayTestBase {

    @Autowired
    ApiKeyStore keys;

    @Test
    void noKeyIs401ProblemAndNothingIsForwarded() {
        HttpResponse<String> response = admin.withKey(null).get("/api/v1/catalogs");
        assertProblem(response, 401, "UNAUTHENTICATED");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(METADATA.received()).isEmpty();
    }

    @Test
    void unknownKeyIs401() {
        assertProblem(admin.withKey("dp_unknown-key-000000").post("/api/v1/jobs/j/runs", "{}"), 401, "UNAUTHENTICATED");
        assertThat(LINEAGE.received()).isEmpty();
    }

    @Test
    void readKeyReadsButCannotWrite() {
        TestHttp reader = admin.withKey(keys.create("edge-reader", Scope.READ).key());
        assertThat(reader.get("/api/v1/ingest/mappings").statusCode()).isEqualTo(200);
        assertProblem(reader.post("/api/v1/ingest/mappings", "{\"name\":\"m\"}"), 403, "FORBIDDEN");
        assertThat(INGEST.received()).hasSize(1);
    }

    @Test
    void writeKeyCannotAdministerAndPurgeIsTheServicesDecision() {
        String writeKey = keys.create("edge-writer", Scope.WRITE).key();
        TestHttp writer = admin.withKey(writeKey);
        assertThat(writer.delete("/api/v1/tables/main.s.t").statusCode()).isEqualTo(200);
        assertProblem(writer.get("/api/v1/admin/api-keys"), 403, "FORBIDDEN");
        // Whether a drop may purge is decided by metadata-service on the bound value (tested there):
        // the gateway forwards the request with the key, unchanged.
        writer.delete("/api/v1/tables/main.s.t?purge=true");
        assertThat(METADATA.received()).hasSize(2);
        assertThat(METADATA.last().header("Authorization")).isEqualTo("Bearer " + writeKey);
    }

    /** The spellings that once reached the admin API with a read or write key (issue #12). */
    @Test
    void pathsThatReadDifferentlyToDifferentLayersAreRefusedBeforeRouting() {
        TestHttp reader =
                admin.withKey(keys.create("edge-path-reader", Scope.READ).key());
        TestHttp writer =
                admin.withKey(keys.create("edge-path-writer", Scope.WRITE).key());
        String[] spellings = {
            "/api/v1/%61dmin/api-keys",
            "/api/v1/admi%6e/api-keys",
            "/api/v1/admin;x=1/api-keys",
            "/api/v1;/admin/api-keys",
            "/%61pi/v1/admin/api-keys",
            "/api/v1//admin/api-keys",
            "/api/v1/./admin/api-keys",
            "/api/v1/x/../admin/api-keys",
            "/api/v1/%2e/admin/api-keys"
        };
        int keysBefore = keys.list().size();
        for (String path : spellings) {
            assertProblem(reader.get(path), 400, "INVALID_PATH");
            assertProblem(writer.post(path, "{\"name\":\"mine\",\"scope\":\"admin\"}"), 400, "INVALID_PATH");
            assertProblem(writer.delete(path + "/bootstrap-admin"), 400, "INVALID_PATH");
        }
        assertThat(keys.list()).hasSize(keysBefore);
        assertThat(METADATA.received()).isEmpty();
        assertThat(LINEAGE.received()).isEmpty();
    }

    @Test
    void xApiKeyHeaderWorksToo() {
        HttpResponse<String> response = admin.withKey(null).get("/api/v1/runs/r1", "X-API-Key", ADMIN_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(LINEAGE.last().header("X-API-Key")).isEqualTo(ADMIN_KEY);
    }

    @Test
    void healthIsOpen() {
        assertThat(admin.withKey(null).get("/actuator/health/readiness").statusCode())
                .isEqualTo(200);
    }
}
