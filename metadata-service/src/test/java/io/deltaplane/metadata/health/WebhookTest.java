package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Incidents delivered to webhooks: a local receiver gets each opening and resolution exactly once,
 * signed; one that answers 503 gets it again after the back-off, with the same delivery id; a
 * webhook only hears of tables its owner may read; and what a webhook may point at and name is
 * checked when it is made.
 */
class WebhookTest extends HealthTestBase {

    /** What the receiver was sent: {@code rawBody} the bytes a receiver verifies, {@code body} them as text. */
    record Received(String path, String event, String delivery, String timestamp, String signature, byte[] rawBody) {

        String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }
    }

    /**
     * The signature as docs/health.md tells a receiver to compute it, written here from the document
     * (not with the sender's code): HMAC-SHA256, keyed with the secret's UTF-8 bytes, over the
     * {@code X-Deltaplane-Timestamp} header, a '.', and the body's bytes as received; lowercase hex.
     */
    private static String documentedSignature(String secret, String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '.');
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(body)) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    private HttpServer receiver;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** How many requests the receiver still answers 503 (a receiver that is down). */
    private final AtomicInteger failing = new AtomicInteger();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeliveryOutbox outbox;

    @Autowired
    WebhookSubscriptions subscriptions;

    @Autowired
    WebhookTargets targets;

    @Autowired
    HealthProperties properties;

    @Autowired
    org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    h.getFirst("X-Deltaplane-Event"),
                    h.getFirst("X-Deltaplane-Delivery"),
                    h.getFirst("X-Deltaplane-Timestamp"),
                    h.getFirst("X-Deltaplane-Signature"),
                    body));
            int status = failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    private List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private String webhook(TestHttp as, String body) {
        return ok(as.post("/api/v1/health/webhooks", body), 201).get("name").asString();
    }

    @Test
    void aLateTableIsSentOnceSignedAndItsResolutionOnce() throws Exception {
        String table = newTable();
        String name = "hook_" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/" + name;
        webhook(
                http,
                "{\"name\":\"" + name + "\",\"url\":\"" + url(path)
                        + "\",\"signing_secret\":\"DELTAPLANE_SECRET_HOOK_KEY\"}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));

        evaluator.evaluate();
        sender.deliverDue();
        sender.deliverDue();

        assertThat(at(path)).hasSize(1);
        Received opened = at(path).get(0);
        assertThat(opened.event()).isEqualTo("incident.opened");
        assertThat(opened.timestamp())
                .as("X-Deltaplane-Timestamp: epoch seconds of the sending clock")
                .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        assertThat(opened.signature())
                .as("docs/health.md: sha256=<hex HMAC-SHA256 of \"<timestamp>.<body>\">, with the referenced key")
                .isEqualTo("sha256="
                        + documentedSignature(
                                SECRETS.get("DELTAPLANE_SECRET_HOOK_KEY"), opened.timestamp(), opened.rawBody()));
        JsonNode body = JSON.readTree(opened.body());
        assertThat(body.get("incident").get("table").asString()).isEqualTo(table);
        assertThat(body.get("incident").get("status").asString()).isEqualTo("OPEN");
        assertThat(body.get("text").asString()).startsWith("Late: " + table);

        ok(commit(table, 1, add("b.parquet", 1_000)), 201);
        evaluator.evaluate();
        sender.deliverDue();
        evaluator.evaluate();
        sender.deliverDue();
        assertThat(at(path)).extracting(Received::event).containsExactly("incident.opened", "incident.resolved");
        assertThat(at(path).get(1).delivery()).isNotEqualTo(opened.delivery());
    }

    @Test
    void aReceiverThatIsDownGetsTheIncidentOnceItIsBackWithTheSameDeliveryId() {
        String table = newTable();
        String name = "down_" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/" + name;
        webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + url(path) + "\",\"format\":\"slack\"}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));
        failing.set(1);

        evaluator.evaluate();
        sender.deliverDue();
        assertThat(at(path))
                .as("the first attempt reached the receiver, which answered 503")
                .hasSize(1);
        assertThat(failing.get()).as("the fault fired").isZero();
        assertThat(jdbc.sql("SELECT last_error FROM health_deliveries d JOIN health_webhooks w ON w.id ="
                                + " d.webhook_id WHERE w.name = ?")
                        .param(name)
                        .query(String.class)
                        .single())
                .isEqualTo("HTTP 503");

        sender.deliverDue();
        assertThat(at(path)).as("not again before the back-off").hasSize(1);
        movable().advance(Duration.ofSeconds(15));
        sender.deliverDue();
        sender.deliverDue();

        assertThat(at(path)).hasSize(2);
        assertThat(at(path).get(1).delivery()).isEqualTo(at(path).get(0).delivery());
        assertThat(JSON.readTree(at(path).get(1).body()).get("text").asString())
                .as("slack's shape: text alone")
                .startsWith("Late: " + table);
        assertThat(JSON.readTree(at(path).get(1).body()).has("incident")).isFalse();
        assertThat(at(path).get(1).signature())
                .as("no signing secret: unsigned")
                .isNull();
    }

    @Test
    void aSenderThatDiesHoldingADeliveryIsReplacedAndTheReceiverGetsTheEventOnce() {
        String table = newTable();
        String name = "restart_" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/" + name;
        webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + url(path) + "\"}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));
        failing.set(1); // the receiver is down for one request

        evaluator.evaluate();
        sender.deliverDue();
        assertThat(at(path)).as("the first attempt, answered 503").hasSize(1);
        assertThat(failing.get()).as("the fault fired").isZero();

        // the sending process claims the retry, then dies before sending it
        movable().advance(Duration.ofSeconds(15));
        Instant now = clock.instant();
        List<DeliveryOutbox.Claimed> held = outbox.claim(now, now.plus(Duration.ofMinutes(2)), 1_000);
        assertThat(held)
                .as("the dead sender held our delivery")
                .anyMatch(c ->
                        c.event().equals("incident.opened") && webhookName(c).equals(name));

        // the process that replaces it: the same database, nothing of the old one in memory
        WebhookSender restarted = new WebhookSender(outbox, subscriptions, targets, clock, properties, meters);
        evaluator.evaluate(); // the still-open incident queues nothing new
        restarted.deliverDue();
        assertThat(at(path))
                .as("leased by the dead sender: not sent before its lease ends")
                .hasSize(1);

        movable().advance(Duration.ofMinutes(2).plusSeconds(1));
        restarted.deliverDue();
        restarted.deliverDue();
        evaluator.evaluate();
        restarted.deliverDue();
        assertThat(at(path))
                .as("sent once more, after the lease, and then never again")
                .hasSize(2);
        assertThat(at(path).get(1).delivery())
                .as("the same delivery id: a receiver that saw it drops it")
                .isEqualTo(at(path).get(0).delivery());
        assertThat(jdbc.sql("SELECT count(*) FROM health_deliveries d JOIN health_webhooks w ON w.id = d.webhook_id"
                                + " WHERE w.name = ?")
                        .param(name)
                        .query(Long.class)
                        .single())
                .as("nothing left to send")
                .isZero();
    }

    private String webhookName(DeliveryOutbox.Claimed c) {
        return jdbc.sql("SELECT name FROM health_webhooks WHERE id = ?")
                .param(c.webhookId())
                .query(String.class)
                .single();
    }

    @Test
    void aWebhookHearsOnlyOfTablesItsOwnerMayRead() {
        String theirs = newTable();
        String team = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        TestHttp asTeam = newTeam(team);
        String name = "spy_" + UUID.randomUUID().toString().substring(0, 8);
        webhook(asTeam, "{\"name\":\"" + name + "\",\"url\":\"" + url("/" + name) + "\"}");
        ok(commit(theirs, 0, add("a.parquet", 1_000)), 201);
        catalogSla(theirs, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));

        evaluator.evaluate();
        sender.deliverDue();

        assertThat(at("/" + name)).as("another team's table").isEmpty();
        assertThat(ok(asTeam.get("/api/v1/health/webhooks"), 200).get("webhooks"))
                .as("a principal lists its own webhooks")
                .singleElement()
                .satisfies(w -> assertThat(w.get("name").asString()).isEqualTo(name));
        assertThat(asTeam.delete("/api/v1/health/webhooks/" + name).statusCode())
                .isEqualTo(204);
    }

    @Test
    void whatAWebhookMayPointAtAndNameIsCheckedWhenItIsMade() {
        Map<String, String> refused = Map.of(
                "{\"name\":\"elsewhere\",\"url\":\"https://attacker.example/hook\"}", "a host the operator allows",
                "{\"name\":\"creds\",\"url\":\"http://user:pw@127.0.0.1/hook\"}", "without user info",
                "{\"name\":\"file\",\"url\":\"file:///etc/passwd\"}", "http(s)",
                "{\"name\":\"both\",\"url\":\"http://127.0.0.1/a\",\"url_secret\":\"DELTAPLANE_SECRET_HOOK_KEY\"}",
                        "one of them",
                "{\"name\":\"env\",\"url_secret\":\"PATH\"}",
                        "must name environment variables named DELTAPLANE_SECRET_",
                "{\"name\":\"key\",\"url\":\"http://127.0.0.1/a\",\"signing_secret\":\"HOME\"}",
                        "must name environment variables named DELTAPLANE_SECRET_",
                "{\"name\":\"fmt\",\"url\":\"http://127.0.0.1/a\",\"format\":\"xml\"}", "json or slack",
                "{\"name\":\"bad name!\",\"url\":\"http://127.0.0.1/a\"}", "letters, digits");
        refused.forEach((body, why) -> {
            var answer = http.post("/api/v1/health/webhooks", body);
            assertProblem(answer, 400, "VALIDATION_FAILED");
            assertThat(answer.body()).as(body).contains(why);
        });
        assertThat(ok(http.get("/api/v1/health/webhooks"), 200).toString())
                .doesNotContain("elsewhere", "creds", "file:", "both", "\"env\"", "\"key\"", "fmt");
        assertThat(refused).hasSize(8);

        String name = "secret_" + UUID.randomUUID().toString().substring(0, 8);
        webhook(
                http,
                "{\"name\":\"" + name + "\",\"url\":\"" + url("/s")
                        + "\",\"signing_secret\":\"DELTAPLANE_SECRET_HOOK_KEY\"}");
        String listed = ok(http.get("/api/v1/health/webhooks"), 200).toString();
        assertThat(listed)
                .contains("DELTAPLANE_SECRET_HOOK_KEY")
                .doesNotContain(SECRETS.get("DELTAPLANE_SECRET_HOOK_KEY"));
        assertProblem(
                http.post("/api/v1/health/webhooks", "{\"name\":\"" + name + "\",\"url\":\"" + url("/s") + "\"}"),
                409,
                "ALREADY_EXISTS");
    }
}
