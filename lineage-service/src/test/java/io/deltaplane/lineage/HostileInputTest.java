package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static io.deltaplane.lineage.Json.problem;
import static io.deltaplane.lineage.OpenLineageTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Bad and hostile requests get a 4xx problem and leave nothing behind. */
@LineageServiceTest
class HostileInputTest {

    private static final Path ARTIFACTS = Path.of("target/test-artifacts");

    @LocalServerPort
    int port;

    private TestHttp http;

    @BeforeEach
    void setUp() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }

    @Test
    void artifactPathsThatTryToEscapeAreRejectedAndNothingIsWritten() throws Exception {
        long rows = count("SELECT count(*) FROM lineage.artifacts", null);
        long files = fileCount();
        List<String> hostile = List.of(
                "/api/v1/datasets/logs/../../../../tmp/pwned",
                "/api/v1/datasets/logs/a/../../escape.txt",
                "/api/v1/datasets/logs/%2e%2e/%2e%2e/escape.txt",
                "/api/v1/datasets/logs/%2E%2E/escape.txt",
                "/api/v1/datasets/logs/a/%252e%252e/%252e%252e/escape.txt",
                "/api/v1/datasets/..%5c..%5cescape.txt",
                "/api/v1/datasets/logs/a%5c..%5cescape.txt",
                "/api/v1/datasets/logs/a%00.txt",
                "/api/v1/datasets/logs//tmp/absolute.txt",
                "/api/v1/datasets/logs/C:/windows.txt",
                "/api/v1/datasets/../datasets/logs/x.txt",
                "/api/v1/datasets/logs/./x.txt");
        for (String path : hostile) {
            HttpResponse<String> response = put(path, "owned".getBytes());
            assertThat(response.statusCode())
                    .as(path + " -> " + response.body())
                    .isEqualTo(400);
        }
        HttpResponse<String> typical = put("/api/v1/datasets/logs/%2e%2e/x.txt", "x".getBytes());
        problem(typical, 400, "INVALID_PATH");
        assertThat(count("SELECT count(*) FROM lineage.artifacts", null)).isEqualTo(rows);
        assertThat(fileCount()).isEqualTo(files);
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
        assertThat(Path.of("target/escape.txt")).doesNotExist();
        problem(http.get("/api/v1/datasets/logs/%2e%2e/%2e%2e/pom.xml"), 400, "INVALID_PATH");
        problem(http.get("/api/v1/datasets/logs/never-uploaded.txt"), 404, "ARTIFACT_NOT_FOUND");
    }

    @Test
    void anUploadWithAWildcardTypeIsServedBackAsOctetStream() throws Exception {
        HttpResponse<String> stored = put("/api/v1/datasets/logs/wild/any.bin", "abc".getBytes(), "*/*");
        assertThat(stored.statusCode()).isEqualTo(201);
        HttpResponse<String> download = http.get("/api/v1/datasets/logs/wild/any.bin");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(download.body()).isEqualTo("abc");
    }

    @Test
    void anUploadedPageIsServedAsADownloadNeverRenderedOrSniffed() throws Exception {
        byte[] page = "<html><script>alert(document.cookie)</script></html>".getBytes();
        assertThat(put("/api/v1/datasets/logs/xss/page.html", page, "text/html").statusCode())
                .isEqualTo(201);
        HttpResponse<String> download = http.get("/api/v1/datasets/logs/xss/page.html");
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(
                        value -> assertThat(value).startsWith("attachment").contains("page.html"));
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void anUploadWithAMalformedTypeIsRejectedAndNothingIsStored() throws Exception {
        long rows = count("SELECT count(*) FROM lineage.artifacts", null);
        HttpResponse<String> response = put("/api/v1/datasets/logs/bad-type.bin", "abc".getBytes(), "text/");
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(count("SELECT count(*) FROM lineage.artifacts", null)).isEqualTo(rows);
        problem(http.get("/api/v1/datasets/logs/bad-type.bin"), 404, "ARTIFACT_NOT_FOUND");
    }

    @Test
    void malformedJsonIs400AndCreatesNothing() throws Exception {
        problem(http.post("/api/v1/jobs/malformed_job/runs", "{\"metadata\": "), 400, "MALFORMED_JSON");
        problem(http.get("/api/v1/jobs/malformed_job"), 404, "JOB_NOT_FOUND");
        problem(http.post("/api/v1/jobs/register-snapshot", "[1, 2"), 400, "MALFORMED_JSON");
        problem(
                http.post("/api/v1/events/broadcast", "{\"event_type\": \"x\", \"run_id\": \"not-a-uuid\"}"),
                400,
                "MALFORMED_JSON");
        problem(http.post("/api/v1/jobs/register-snapshot", "{\"table_name\": \"t\"}"), 400, "VALIDATION_FAILED");
        problem(http.post("/api/v1/jobs/bad%20name!/runs", "{}"), 400, "INVALID_NAME");
        problem(
                http.post("/api/v1/tables/x.y.z/snapshots", "{\"uri\": \"u\", \"format\": \"no spaces allowed\"}"),
                400,
                "VALIDATION_FAILED");
        problem(http.get("/api/v1/tables/x.y.z/snapshots"), 404, "TABLE_NOT_FOUND");
        problem(http.get("/api/v1/lineage?node=table:x.y.z&depth=99"), 400, "BAD_REQUEST");
        problem(http.get("/api/v1/lineage?node=view:x"), 400, "BAD_REQUEST");
    }

    @Test
    void unknownRunIdsAre404AndNothingIsStored() throws Exception {
        String ghost = UUID.randomUUID().toString();
        body(
                http.post(
                        "/api/v1/tables/hostile.src.table/snapshots", "{\"uri\": \"file:/h\", \"format\": \"delta\"}"),
                201);
        long inputs = count("SELECT count(*) FROM lineage.run_inputs", null);
        long events = count("SELECT count(*) FROM lineage.events", null);

        problem(http.get("/api/v1/runs/" + ghost), 404, "RUN_NOT_FOUND");
        problem(http.get("/api/v1/tables/hostile.src.table/snapshots/latest?run_id=" + ghost), 404, "RUN_NOT_FOUND");
        problem(
                http.post(
                        "/api/v1/jobs/register-snapshot",
                        "{\"table_name\": \"hostile.never\", \"uri\": \"file:/n\", \"format\": \"delta\","
                                + " \"job_name\": \"ghost_job\", \"run_id\": \"" + ghost + "\"}"),
                404,
                "RUN_NOT_FOUND");
        problem(http.get("/api/v1/tables/hostile.never/snapshots"), 404, "TABLE_NOT_FOUND");
        problem(
                http.post("/api/v1/events/broadcast", "{\"event_type\": \"x\", \"run_id\": \"" + ghost + "\"}"),
                404,
                "RUN_NOT_FOUND");
        problem(
                http.post("/api/v1/events/broadcast", "{\"event_type\": \"x\", \"job_name\": \"ghost_job\"}"),
                404,
                "JOB_NOT_FOUND");
        problem(
                http.put("/api/v1/jobs/ghost_job/runs/" + ghost + "/complete", "{\"success\": true}"),
                404,
                "RUN_NOT_FOUND");
        problem(http.post("/api/v1/jobs/ghost_job/runs/" + ghost + "/heartbeat", null), 404, "RUN_NOT_FOUND");
        problem(http.get("/api/v1/runs/not-a-uuid"), 400, "BAD_REQUEST");

        assertThat(count("SELECT count(*) FROM lineage.run_inputs", null)).isEqualTo(inputs);
        assertThat(count("SELECT count(*) FROM lineage.events", null)).isEqualTo(events);
        problem(http.get("/api/v1/jobs/ghost_job"), 404, "JOB_NOT_FOUND");
    }

    @Test
    void anotherJobsRunCannotBeCompletedOrWrittenFor() throws Exception {
        String runId = body(http.post("/api/v1/jobs/owner_job/runs", "{}"), 201)
                .get("run_id")
                .asString();
        body(http.post("/api/v1/jobs/other_job/runs", "{}"), 201);

        problem(
                http.put("/api/v1/jobs/other_job/runs/" + runId + "/complete", "{\"success\": true}"),
                404,
                "RUN_NOT_FOUND");
        problem(
                http.post(
                        "/api/v1/jobs/register-snapshot",
                        "{\"table_name\": \"hostile.stolen\", \"uri\": \"file:/s\", \"format\": \"delta\","
                                + " \"job_name\": \"other_job\", \"run_id\": \"" + runId + "\"}"),
                404,
                "RUN_NOT_FOUND");
        problem(
                http.put(
                        "/api/v1/jobs/owner_job/runs/" + runId + "/complete",
                        "{\"success\": true, \"artifacts\": [{\"type\": \"log\","
                                + " \"uri\": \"/api/v1/datasets/logs/not-uploaded.log\"}]}"),
                404,
                "ARTIFACT_NOT_FOUND");

        assertThat(body(http.get("/api/v1/runs/" + runId), 200).get("state").asString())
                .isEqualTo("RUNNING");
        problem(http.get("/api/v1/tables/hostile.stolen/snapshots"), 404, "TABLE_NOT_FOUND");

        body(http.put("/api/v1/jobs/owner_job/runs/" + runId + "/complete", "{\"success\": true}"), 200);
        problem(
                http.post(
                        "/api/v1/jobs/register-snapshot",
                        "{\"table_name\": \"hostile.late\", \"uri\": \"file:/l\", \"format\": \"delta\","
                                + " \"job_name\": \"owner_job\", \"run_id\": \"" + runId + "\"}"),
                409,
                "RUN_NOT_RUNNING");
        problem(http.get("/api/v1/tables/hostile.late/snapshots"), 404, "TABLE_NOT_FOUND");
    }

    private HttpResponse<String> put(String path, byte[] body) throws Exception {
        return put(path, body, "application/octet-stream");
    }

    private HttpResponse<String> put(String path, byte[] body, String contentType) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + LineageServiceTest.ADMIN_KEY)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long fileCount() throws Exception {
        if (!Files.exists(ARTIFACTS)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(ARTIFACTS)) {
            return files.count();
        }
    }

    @Test
    void valuesPostgresCannotStoreAreA400AndNothingIsStored() throws Exception {
        long runs = count("SELECT count(*) FROM lineage.runs", null);
        long events = count("SELECT count(*) FROM lineage.events", null);
        for (String time : new String[] {"+1000000000-12-31T00:00:00Z", "-1000000000-01-01T00:00:00Z"}) {
            HttpResponse<String> answer =
                    http.post("/api/v1/jobs/far_future/runs", "{\"nominal_time\": \"" + time + "\"}");
            assertThat(answer.statusCode()).as(time + " -> " + answer.body()).isEqualTo(400);
        }
        HttpResponse<String> nul = http.post(
                "/api/v1/events/broadcast", "{\"event_type\": \"metric\", \"data\": {\"note\": \"a\\u0000b\"}}");
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
        assertThat(nul.body()).contains("data.note");
        HttpResponse<String> typed = http.post("/api/v1/events/broadcast", "{\"event_type\": 42}");
        assertThat(typed.statusCode()).as(typed.body()).isEqualTo(400);
        assertThat(count("SELECT count(*) FROM lineage.runs", null)).isEqualTo(runs);
        assertThat(count("SELECT count(*) FROM lineage.events", null)).isEqualTo(events);
    }

    @Test
    void artifactPathsThatCollideWithAFileOrAFolderAre409() throws Exception {
        assertThat(put("/api/v1/datasets/logs/collide/a", "file".getBytes()).statusCode())
                .isEqualTo(201);
        problem(put("/api/v1/datasets/logs/collide/a/b", "x".getBytes()), 409, "ARTIFACT_PATH_CONFLICT");
        assertThat(put("/api/v1/datasets/logs/collide/c/d", "nested".getBytes()).statusCode())
                .isEqualTo(201);
        problem(put("/api/v1/datasets/logs/collide/c", "x".getBytes()), 409, "ARTIFACT_PATH_CONFLICT");
        problem(http.get("/api/v1/datasets/logs/collide/c"), 404, "ARTIFACT_NOT_FOUND");
        assertThat(http.get("/api/v1/datasets/logs/collide/a").body()).isEqualTo("file");
        assertThat(http.get("/api/v1/datasets/logs/collide/c/d").body()).isEqualTo("nested");
    }
}
