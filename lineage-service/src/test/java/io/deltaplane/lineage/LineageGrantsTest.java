package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Lineage under grants: a Deltaplane table (catalog.schema.table) the caller may not read is
 * refused when named and, in a graph around something it may see, shown without its name; other
 * datasets are not securables and stay as they are.
 */
@LineageServiceTest
class LineageGrantsTest {

    @LocalServerPort
    int port;

    @Autowired
    PrincipalStore principals;

    @Autowired
    GrantStore grants;

    @Autowired
    ApiKeyStore keys;

    @Test
    void tablesTheCallerMayNotReadAreRefusedAndRedactedNotLeaked() {
        String x = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String catalog = "c_" + x;
        String visible = catalog + ".s.visible";
        String hidden = catalog + ".s.secret_" + x;
        String out = catalog + ".s.out";
        TestHttp admin = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
        String event = """
                {"eventType":"COMPLETE","eventTime":"2026-03-01T10:05:00Z","run":{"runId":"%s"},
                 "job":{"namespace":"jobs","name":"join_%s"},
                 "inputs":[{"namespace":"deltaplane","name":"%s"},{"namespace":"deltaplane","name":"%s"},
                           {"namespace":"s3://lake","name":"raw/clicks_%s"}],
                 "outputs":[{"namespace":"deltaplane","name":"%s"}],
                 "producer":"https://example.com/test",
                 "schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent"}""".formatted(UUID.randomUUID(), x, visible, hidden, x, out);
        body(admin.post("/api/v1/lineage", event), 201);

        String erin = "erin_" + x;
        principals.create(erin, PrincipalType.USER);
        grants.grant(Securable.catalog(catalog), erin, Privilege.USE_CATALOG);
        grants.grant(Securable.catalog(catalog), erin, Privilege.USE_SCHEMA);
        grants.grant(Securable.table(catalog, "s", "visible"), erin, Privilege.SELECT);
        grants.grant(Securable.table(catalog, "s", "out"), erin, Privilege.SELECT);
        TestHttp asErin =
                TestHttp.local(port, keys.createFor("erin", erin, null).key());

        HttpResponse<String> graph = asErin.get("/api/v1/lineage?node=job:join_" + x + "&depth=1");
        JsonNode nodes = body(graph, 200).get("nodes");
        List<String> ids = new ArrayList<>();
        nodes.forEach(n -> ids.add(n.get("id").asString()));
        assertThat(ids)
                .contains("table:" + visible, "table:" + out, "table:redacted-1")
                .anyMatch(id -> id.contains("clicks_" + x));
        assertThat(graph.body()).doesNotContain("secret_" + x);

        // named directly: refused, whether or not lineage knows it
        assertThat(asErin.get("/api/v1/tables/" + hidden + "/snapshots/latest").statusCode())
                .isEqualTo(403);
        assertThat(asErin.get("/api/v1/lineage?node=table:" + hidden).statusCode())
                .isEqualTo(403);
        assertThat(asErin.post("/api/v1/tables/" + visible + "/snapshots", "{\"uri\":\"s3://x\",\"format\":\"delta\"}")
                        .statusCode())
                .as("SELECT does not let erin record a version of the table")
                .isEqualTo(403);

        // an OpenLineage event (alone or in a batch) that says it wrote a table needs MODIFY on it
        String writes = event.replace("\"name\":\"join_" + x, "\"name\":\"erin_job_" + x);
        assertThat(asErin.post("/api/v1/lineage", writes).statusCode()).isEqualTo(403);
        assertThat(asErin.post("/api/v1/lineage/batch", "[" + writes + "]").statusCode())
                .isEqualTo(403);
        assertThat(admin.get("/api/v1/lineage?node=job:erin_job_" + x).statusCode())
                .as("nothing was recorded")
                .isEqualTo(404);

        // the admin sees every name
        assertThat(admin.get("/api/v1/lineage?node=job:join_" + x + "&depth=1").body())
                .contains("secret_" + x)
                .doesNotContain("redacted");
    }
}
