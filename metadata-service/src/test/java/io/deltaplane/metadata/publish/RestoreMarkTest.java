package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A table marked by a restore from backup takes no commit until a reconcile has compared its
 * _delta_log with Postgres: a commit (alone or in a transaction) is a 503 with Retry-After that
 * changes nothing, reads go on, and once the reconcile succeeds the same commit lands.
 */
class RestoreMarkTest extends PublishTestBase {

    @Test
    void aMarkedTableRefusesCommitsUntilItsLogIsReconciled() {
        String marked = newTable();
        String other = newTable();
        ok(commit(marked, 0, add("a.parquet", 10)), 201);
        awaitPublished(marked, 1);
        jdbc.sql("INSERT INTO restore_checks (table_id) VALUES (:id)")
                .param("id", id(marked))
                .update();

        var refused = commit(marked, 1, add("b.parquet", 10));
        assertProblem(refused, 503, "SERVICE_UNAVAILABLE");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.body()).contains("restore");
        var transaction = http.post(
                "/api/v1/transactions",
                "{\"commits\":[{\"table\":\"" + other + "\",\"expected_version\":0,\"actions\":["
                        + add("x.parquet", 10) + "]},{\"table\":\"" + marked + "\",\"expected_version\":1,"
                        + "\"actions\":[" + add("y.parquet", 10) + "]}]}");
        assertProblem(transaction, 503, "SERVICE_UNAVAILABLE");
        assertThat(version(marked)).isEqualTo(1);
        assertThat(version(other)).as("a transaction is all or nothing").isZero();
        assertThat(livePaths(marked, null, 10)).containsExactly("a.parquet");

        ok(http.post("/api/v1/tables/" + marked + "/publish/reconcile", ""), 200);
        ok(commit(marked, 1, add("b.parquet", 10)), 201);
        assertThat(jdbc.sql("SELECT count(*) FROM restore_checks WHERE table_id = :id")
                        .param("id", id(marked))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private UUID id(String table) {
        return UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
    }
}
