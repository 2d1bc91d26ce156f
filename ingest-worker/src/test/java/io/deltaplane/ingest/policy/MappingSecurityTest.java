package io.deltaplane.ingest.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.ingest.IngestSpringTest;
import io.deltaplane.ingest.TestKafka;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What a write key holder could once do through a mapping (issue #12): read the worker's own
 * environment, make it connect anywhere, send credentials in clear. Each attack is refused with a 422
 * and nothing stored; and a canary secret never shows up in an answer or a log line.
 */
@ExtendWith(OutputCaptureExtension.class)
class MappingSecurityTest extends IngestSpringTest {

    static final String PATH = "/api/v1/ingest/mappings";
    static final String CANARY = "CANARY-7d1f0c9e-5b2a-4c11-secret";

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUp() throws Exception {
        http = TestHttp.local(port, ADMIN_KEY);
        Files.writeString(SECRETS.resolve("canary_user"), "svc-canary-" + CANARY);
        Files.writeString(SECRETS.resolve("canary_password"), CANARY);
        Files.writeString(
                SECRETS.resolve("canary_conn"),
                "Endpoint=sb://canary-ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=" + CANARY);
    }

    private static String mapping(String name, String source) {
        return """
                {"name": "%s", "source": %s, "target": {"schema": "sec", "table": "t_%s"}}""".formatted(name, source, name.replace('-', '_'));
    }

    private void refused(String name, String source, String mentions) {
        HttpResponse<String> answer = http.post(PATH, mapping(name, source));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.body()).contains("VALIDATION_FAILED").contains(mentions);
        assertThat(http.get(PATH + "/" + name).statusCode())
                .as("nothing stored")
                .isEqualTo(404);
    }

    @Test
    void aMappingCannotNameTheWorkersOwnVariables() {
        for (String variable :
                List.of("PATH", "HOME", "DELTAPLANE_ADMIN_API_KEY", "DELTAPLANE_DB_PASSWORD", "MOTHERDUCK_TOKEN")) {
            refused(
                    "env-" + variable.toLowerCase(),
                    "{\"type\": \"kafka\", \"topic\": \"t\", \"connection_string_env\": \"" + variable + "\"}",
                    variable + " is not an allowed secret reference");
            refused(
                    "sasl-" + variable.toLowerCase(),
                    "{\"type\": \"kafka\", \"topic\": \"t\", \"sasl\": {\"mechanism\": \"PLAIN\", \"username_env\": \"HOME\","
                            + " \"password_env\": \"" + variable + "\"}}",
                    "is not an allowed secret reference");
        }
        refused(
                "traversal",
                "{\"type\": \"kafka\", \"topic\": \"t\", \"connection_string_env\": \"../../etc/passwd\"}",
                "connection_string_env");
    }

    @Test
    void aMappingCannotMakeTheWorkerConnectWhereTheOperatorDidNotAllow() {
        for (String host : List.of("169.254.169.254:80", "evil.example.com:9092", "10.0.0.5:9092")) {
            refused(
                    "egress-" + host.replaceAll("[^a-z0-9]", "-"),
                    "{\"type\": \"kafka\", \"topic\": \"t\", \"bootstrap_servers\": \"" + host + "\"}",
                    "not an allowed host");
        }
        refused(
                "egress-namespace",
                "{\"type\": \"eventhubs\", \"event_hub\": \"h\", \"connection_string_env\": \"canary_conn\","
                        + " \"fully_qualified_namespace\": \"attacker.example.com\"}",
                "not an allowed host");
    }

    @Test
    void credentialsAreOnlySentOverTls() {
        refused(
                "plaintext-credentials",
                "{\"type\": \"kafka\", \"topic\": \"t\", \"bootstrap_servers\": \"localhost:9092\","
                        + " \"security_protocol\": \"SASL_PLAINTEXT\", \"sasl\": {\"mechanism\": \"PLAIN\","
                        + " \"username_env\": \"canary_user\", \"password_env\": \"canary_password\"}}",
                "only sent over TLS");
    }

    @Test
    void theWorkersOwnStateIsNoTarget() {
        HttpResponse<String> answer = http.post(
                PATH,
                "{\"name\": \"control\", \"source\": {\"type\": \"kafka\", \"topic\": \"t\"},"
                        + " \"target\": {\"schema\": \"main\", \"table\": \"_deltaplane_offsets\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(http.get(PATH + "/control").statusCode()).isEqualTo(404);
    }

    @Test
    void aTargetDatabaseThatIsNotThereIsRefusedAtCreateNotOnEveryBatch() {
        HttpResponse<String> answer = http.post(
                PATH,
                "{\"name\": \"nodb\", \"source\": {\"type\": \"kafka\", \"topic\": \"t\"},"
                        + " \"target\": {\"database\": \"nowhere\", \"schema\": \"s\", \"table\": \"t\"}}");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.body()).contains("target.database: nowhere is not attached");
        assertThat(http.get(PATH + "/nodb").statusCode()).isEqualTo(404);
    }

    @Test
    void validateSaysNotReachableTheSameWayWhateverTheCause() {
        HttpResponse<String> created = http.post(
                PATH,
                mapping(
                        "closed-port",
                        "{\"type\": \"kafka\", \"topic\": \"t\", \"bootstrap_servers\": \"127.0.0.1:1\"}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        try {
            String report = http.post("/api/v1/ingest/validate", "").body();
            assertThat(report)
                    .contains("\"name\":\"closed-port\",\"source\":{\"ok\":false,\"detail\":\"not reachable\"}");
        } finally {
            http.delete(PATH + "/closed-port");
        }
    }

    @Test
    void aCanarySecretNeverShowsInAnswersOrLogs(CapturedOutput output) throws Exception {
        // Allowed references, used for real: TLS to a plaintext broker fails; the namespace is not allowed.
        String sasl = "{\"type\": \"kafka\", \"topic\": \"canary\", \"bootstrap_servers\": \"" + TestKafka.bootstrap()
                + "\", \"security_protocol\": \"SASL_SSL\", \"sasl\": {\"mechanism\": \"PLAIN\","
                + " \"username_env\": \"canary_user\", \"password_env\": \"canary_password\"}}";
        String eventHubs =
                "{\"type\": \"eventhubs\", \"event_hub\": \"h\", \"connection_string_env\": \"canary_conn\"}";
        List<String> answers = new ArrayList<>();
        answers.add(http.post(PATH, mapping("canary-sasl", sasl)).body());
        answers.add(http.post(PATH, mapping("canary-eh", eventHubs)).body());
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            String ehStatus;
            do {
                Thread.sleep(200);
                ehStatus = http.get(PATH + "/canary-eh/status").body();
                // the state turns RETRYING a moment before the failure is recorded: wait for both
            } while (!(ehStatus.contains("RETRYING") && ehStatus.contains("last_error"))
                    && Instant.now().isBefore(deadline));
            assertThat(ehStatus).contains("RETRYING").contains("Not an allowed host for ingest");
            answers.add(ehStatus);
            answers.add(http.get(PATH + "/canary-sasl/status").body());
            answers.add(http.get(PATH + "/canary-sasl").body());
            answers.add(http.get(PATH).body());
            answers.add(http.post("/api/v1/ingest/validate", "").body());
        } finally {
            http.delete(PATH + "/canary-sasl");
            http.delete(PATH + "/canary-eh");
        }
        for (String answer : answers) {
            assertThat(answer).doesNotContain(CANARY);
        }
        assertThat(output.getAll()).doesNotContain(CANARY);
    }
}
