package io.deltaplane.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.ingest.TestMappings;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The worker writes with a key of its own, so a mapping is authorized by the grants of whoever
 * makes it: into a Delta table it needs MODIFY on that table; into DuckDB / MotherDuck the
 * metastore privilege CREATE_INGEST_MAPPING; and another team's mapping cannot be changed,
 * paused or dropped. A refusal stores nothing.
 */
class MappingGrantsTest extends IngestSpringTest {

    static final String PATH = "/api/v1/ingest/mappings";

    @LocalServerPort
    int port;

    @Autowired
    PrincipalStore principals;

    @Autowired
    GrantStore grants;

    @Autowired
    AccessControl access;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    MappingRepository repository;

    @Test
    void aMappingNeedsTheGrantsOfItsTarget() {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String dana = "dana_" + suffix;
        principals.create(dana, PrincipalType.USER);
        TestHttp asDana =
                TestHttp.local(port, keys.createFor("dana", dana, null).key());
        TestHttp admin = TestHttp.local(port, ADMIN_KEY);

        // a Delta mapping's previews show the table's rows: SELECT (or MODIFY) on it, checked before
        // anything is read (stored here directly, disabled: no worker runs it)
        String reader = "r_" + suffix;
        MappingSpec intoDelta =
                TestMappings.kafkaToDelta(reader, "t", "sales.raw.events", java.util.List.of(), 10, 100);
        assertThat(repository.insert(
                        new MappingSpec(
                                intoDelta.name(),
                                intoDelta.source(),
                                intoDelta.target(),
                                intoDelta.format(),
                                intoDelta.columns(),
                                intoDelta.batch(),
                                intoDelta.dryRun(),
                                false),
                        java.time.Instant.now()))
                .isTrue();
        for (String preview : new String[] {"/rows", "/dead-letters"}) {
            HttpResponse<String> previewed = asDana.get(PATH + "/" + reader + preview);
            assertThat(previewed.statusCode())
                    .as(preview + ": " + previewed.body())
                    .isEqualTo(403);
            assertThat(previewed.body()).contains("lacks USE_CATALOG on catalog sales");
        }
        assertThat(repository.delete(reader)).isTrue();

        // into a Delta table dana may use but not write: refused before anything else is looked at
        grants.grant(Securable.catalog("sales"), dana, Privilege.USE_CATALOG);
        grants.grant(Securable.catalog("sales"), dana, Privilege.USE_SCHEMA);
        grants.grant(Securable.catalog("sales"), dana, Privilege.SELECT);
        access.invalidate(); // granted behind the service's back: drop what it cached a moment ago
        HttpResponse<String> delta = asDana.post(
                PATH,
                "{\"name\":\"d_" + suffix + "\",\"source\":" + MappingApiTest.kafka("t")
                        + ",\"target\":{\"type\":\"delta\","
                        + "\"table\":\"sales.raw.events\"},\"columns\":[{\"name\":\"id\",\"type\":\"BIGINT\"}]}");
        assertThat(delta.statusCode()).as(delta.body()).isEqualTo(403);
        assertThat(delta.body()).contains("MODIFY on table sales.raw.events");
        assertThat(admin.get(PATH + "/d_" + suffix).statusCode()).isEqualTo(404);

        // into DuckDB: a privilege of its own
        String duck = "k_" + suffix;
        HttpResponse<String> refused = asDana.post(PATH, MappingApiTest.body(duck, MappingApiTest.kafka("t"), ""));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("CREATE_INGEST_MAPPING");
        assertThat(admin.get(PATH + "/" + duck).statusCode()).isEqualTo(404);

        grants.grant(Securable.metastore(), dana, Privilege.CREATE_INGEST_MAPPING);
        access.invalidate();
        HttpResponse<String> created = asDana.post(PATH, MappingApiTest.body(duck, MappingApiTest.kafka("t"), ""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // without the privilege, dana can neither pause nor drop a mapping someone else made
        String theirs = "theirs_" + suffix;
        assertThat(admin.post(PATH, MappingApiTest.body(theirs, MappingApiTest.kafka("t"), ""))
                        .statusCode())
                .isEqualTo(201);
        grants.revoke(Securable.metastore(), dana, Privilege.CREATE_INGEST_MAPPING);
        access.invalidate();
        assertThat(asDana.post(PATH + "/" + theirs + "/pause", "").statusCode()).isEqualTo(403);
        assertThat(asDana.delete(PATH + "/" + theirs).statusCode()).isEqualTo(403);
        assertThat(admin.get(PATH + "/" + theirs).statusCode()).isEqualTo(200);
        assertThat(admin.delete(PATH + "/" + theirs).statusCode()).isEqualTo(204);
        assertThat(admin.delete(PATH + "/" + duck).statusCode()).isEqualTo(204);
    }
}
