package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Bodies and parameters Postgres could not store, or that would bind differently than written: each
 * refused, nothing stored (read back), and the same request without the hostile part taken.
 */
class HostileBodyTest extends MetadataTestBase {

    private void refusedAndUnchanged(String table, HttpResponse<String> answer, String mentions) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body())
                .contains(mentions)
                .doesNotContain("io.deltaplane")
                .doesNotContain("java.");
        assertThat(JSON.readTree(http.get("/api/v1/tables/" + table).body())
                        .get("version")
                        .asLong())
                .as("nothing committed")
                .isZero();
    }

    @Test
    void aNulCharacterInACommitIsRefusedNamingTheFieldAndNothingIsCommitted() {
        String table = newTable();
        refusedAndUnchanged(
                table,
                http.post(
                        "/api/v1/tables/" + table + "/commits",
                        "{\"expected_version\": 0, \"actions\": [{\"add\": {\"path\": \"a.parquet\", \"partitionValues\": {},"
                                + " \"size\": 1, \"modificationTime\": 1, \"dataChange\": true,"
                                + " \"stats\": \"{\\\"numRecords\\\": 1, \\\"note\\\": \\\"\\\\u0000\\\"}\","
                                + " \"tags\": {\"k\": \"v\\u0000\"}}}]}"),
                "actions.0.add.tags.k");
        // the same commit without the NUL characters is taken, its stats and tags as sent
        ok(
                http.post(
                        "/api/v1/tables/" + table + "/commits",
                        "{\"expected_version\": 0, \"actions\": [{\"add\": {\"path\": \"a.parquet\", \"partitionValues\": {},"
                                + " \"size\": 1, \"modificationTime\": 1, \"dataChange\": true,"
                                + " \"stats\": \"{\\\"numRecords\\\": 1, \\\"note\\\": \\\"-\\\"}\","
                                + " \"tags\": {\"k\": \"v-\"}}}]}"),
                201);
        JsonNode file =
                get("/api/v1/tables/" + table + "/snapshot/files").get("files").get(0);
        assertThat(file.get("tags").get("k").asString()).isEqualTo("v-");
        assertThat(file.get("stats").asString()).isEqualTo("{\"numRecords\": 1, \"note\": \"-\"}");
    }

    @Test
    void anExpectedVersionWrittenAsTextIsRefused() {
        String table = newTable();
        refusedAndUnchanged(
                table,
                http.post(
                        "/api/v1/tables/" + table + "/commits",
                        "{\"expected_version\": \"0\", \"actions\": [{\"add\": {\"path\": \"a.parquet\","
                                + " \"partitionValues\": {}, \"size\": 1, \"modificationTime\": 1, \"dataChange\": true}}]}"),
                "'expected_version'");
        // written as a number, it is taken
        ok(
                http.post(
                        "/api/v1/tables/" + table + "/commits",
                        "{\"expected_version\": 0, \"actions\": [{\"add\": {\"path\": \"a.parquet\","
                                + " \"partitionValues\": {}, \"size\": 1, \"modificationTime\": 1, \"dataChange\": true}}]}"),
                201);
        assertThat(livePaths(table, null, 10)).containsExactly("a.parquet");
    }

    @Test
    void timestampsBeyondWhatPostgresStoresAreA400() {
        String table = newTable();
        for (String timestamp : new String[] {"+1000000000-12-31T00:00:00Z", "-1000000000-01-01T00:00:00Z"}) {
            HttpResponse<String> answer = http.get("/api/v1/tables/" + table + "/snapshot?timestamp="
                    + java.net.URLEncoder.encode(timestamp, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(answer.statusCode())
                    .as(timestamp + " -> " + answer.body())
                    .isEqualTo(400);
        }
    }

    @Test
    void aNullBodyIsExplainedWithoutAJavaSignature() {
        HttpResponse<String> answer = http.post("/api/v1/catalogs", "");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("public ").doesNotContain("io.deltaplane");
        long number = 100_000_000L + (System.nanoTime() & 0xffffff);
        assertThat(http.post("/api/v1/catalogs", "{\"name\": " + number + "}").statusCode())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/catalogs/" + number).statusCode())
                .as("no catalog named by the number")
                .isEqualTo(404);
        // the name written as a string is taken
        ok(http.post("/api/v1/catalogs", "{\"name\": \"n" + number + "\"}"), 201);
        assertThat(http.get("/api/v1/catalogs/n" + number).statusCode()).isEqualTo(200);
    }

    @Test
    void aPageTokenTheServiceDidNotIssueIsInvalidOnEveryList() {
        String table = newTable();
        String catalog = table.split("\\.")[0];
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("a".getBytes()) + ".AAAA";
        for (String list : new String[] {
            "/api/v1/catalogs",
            "/api/v1/schemas?catalog_name=" + catalog,
            "/api/v1/tables?catalog_name=" + catalog + "&schema_name=s",
            "/api/v1/tables/" + table + "/history",
            "/api/v1/tables/" + table + "/snapshot/files"
        }) {
            for (String token : new String[] {"garbage", forged}) {
                String url = list + (list.contains("?") ? "&" : "?") + "page_token=" + token;
                assertProblem(http.get(url), 400, "INVALID_PAGE_TOKEN");
            }
        }
    }
}
