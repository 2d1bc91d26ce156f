package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.CreatedApiKey;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Who did what: every mutating request, every denied one and every signed-URL issue the test
 * makes on a table is in the audit trail with its principal, key, action, securable, request id
 * and outcome — compared request by request with the rows written — and reads are not.
 */
class AuditTrailTest extends MetadataTestBase {

    @Autowired
    AuditLog audit;

    @Autowired
    PrincipalStore principals;

    @Autowired
    ApiKeyStore keys;

    private record Made(String requestId, String action, int status, String principal, String keyId) {}

    @Test
    void everyChangeAndEveryRefusalIsRecordedOnceAndReadsAreNot() {
        String table = newTable();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String carol = "carol_" + suffix;
        principals.create(carol, PrincipalType.SERVICE_PRINCIPAL);
        CreatedApiKey carolKey = keys.createFor("carol", carol, null);
        TestHttp asCarol = http.withKey(carolKey.key());
        String adminKeyId = "bootstrap-admin";

        List<Made> made = new ArrayList<>();
        made.add(made(
                commit(table, 0, add("a.parquet", 10)), "POST /api/v1/tables/{fullName}/commits", "admin", adminKeyId));
        made.add(made(
                asCarol.post("/api/v1/tables/" + table + "/commits", commitBody(1, List.of(add("b.parquet", 10)))),
                "POST /api/v1/tables/{fullName}/commits",
                carol,
                carolKey.apiKey().id()));
        made.add(made(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/permissions/table/" + table,
                        "{\"changes\":[{\"principal\":\"" + carol + "\",\"add\":[\"SELECT\"]}]}"),
                "PATCH /api/2.1/unity-catalog/permissions/{securableType}/{fullName}",
                "admin",
                adminKeyId));
        made.add(made(
                asCarol.get("/api/v1/tables/" + table + "/snapshot"),
                "GET /api/v1/tables/{fullName}/snapshot",
                carol,
                carolKey.apiKey().id()));
        // reads that are allowed are not audited: this one must not appear
        ok(http.get("/api/v1/tables/" + table + "/history"), 200);

        List<AuditEvent> rows = audit.list(new AuditQuery(null, table, null, null, null), Long.MAX_VALUE, 100);
        assertThat(rows)
                .as("one row per audited request, none for the allowed read")
                .hasSize(made.size() + 1);
        for (Made request : made) {
            AuditEvent row = rows.stream()
                    .filter(r -> request.requestId().equals(r.requestId()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no audit row for " + request));
            assertThat(row.action()).isEqualTo(request.action());
            assertThat(row.status()).isEqualTo(request.status());
            assertThat(row.outcome()).isEqualTo(AuditEvent.outcome(request.status()));
            assertThat(row.principal()).isEqualTo(request.principal());
            assertThat(row.authentication()).isEqualTo("api_key:" + request.keyId());
            assertThat(row.securableType()).isEqualTo("table");
            assertThat(row.securableName()).isEqualTo(table);
            assertThat(row.service()).isEqualTo("metadata-service");
        }
        // the carol rows: a commit refused (403, denied) and a snapshot read refused the same way
        assertThat(made.get(1).status()).isEqualTo(403);
        assertThat(made.get(3).status()).isEqualTo(403);
        // the table's creation is the extra row
        assertThat(rows.stream().map(AuditEvent::action)).contains("POST /api/v1/tables");
    }

    private static Made made(HttpResponse<String> response, String action, String principal, String keyId) {
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        return new Made(requestId, action, response.statusCode(), principal, keyId);
    }
}
