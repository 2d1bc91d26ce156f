package io.deltaplane.metadata.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.secrets.Secrets;
import io.deltaplane.testing.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * signed; one that answers 503 gets it again after the back-off (10 s doubling to an hour), with the
 * same delivery id; one that answers 302 is not followed; a webhook only hears of tables its owner may
 * read, in the catalog it names; and what a webhook may point at and name is checked when it is made
 * (a URL that is a secret, when it is sent).
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
    /** Paths the receiver answers 302 for, to the URL given (a receiver that moved). */
    private final Map<String, String> redirects = new ConcurrentHashMap<>();

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
            String redirect = redirects.get(exchange.getRequestURI().getPath());
            if (redirect != null) {
                exchange.getResponseHeaders().set("Location", redirect);
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
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

    /**
     * {@code ,"catalog_name":"<the table's catalog>"}: a webhook that hears only of the test's own table
     * (an admin's webhook hears of every table, and another test's may open an incident meanwhile).
     */
    private static String onlyOf(String table) {
        return ",\"catalog_name\":\"" + table.substring(0, table.indexOf('.')) + "\"";
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
                        + "\",\"signing_secret\":\"DELTAPLANE_SECRET_HOOK_KEY\"" + onlyOf(table) + "}");
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
        webhook(
                http,
                "{\"name\":\"" + name + "\",\"url\":\"" + url(path) + "\",\"format\":\"slack\"" + onlyOf(table) + "}");
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
        webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + url(path) + "\"" + onlyOf(table) + "}");
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
        WebhookSender restarted = new WebhookSender(
                outbox, subscriptions, targets, clock, properties, meters, io.deltaplane.support.loop.ProcessRole.ALL);
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

    /**
     * A sender whose batch outlived its lease (slow receivers before it) does not send a delivery
     * another replica claimed meanwhile: each delivery is leased again right before its send, only
     * if no other claim came since.
     */
    @Test
    void aDeliveryClaimedByAnotherSenderAfterTheFirstSendersLeaseIsNotSentByTheFirst() {
        String table = newTable();
        String name = "overrun_" + UUID.randomUUID().toString().substring(0, 8);
        webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + url("/" + name) + "\"" + onlyOf(table) + "}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));
        evaluator.evaluate(); // queues incident.opened for our webhook

        Instant now = clock.instant();
        DeliveryOutbox.Claimed first = outbox.claim(now, now.plus(Duration.ofMinutes(2)), 1_000).stream()
                .filter(c -> webhookName(c).equals(name))
                .findFirst()
                .orElseThrow();
        // the first sender is still busy with the rest of its batch when its lease ends; another claims it
        Instant later = now.plus(Duration.ofMinutes(2)).plusSeconds(1);
        DeliveryOutbox.Claimed second = outbox.claim(later, later.plus(Duration.ofMinutes(2)), 1_000).stream()
                .filter(c -> c.id().equals(first.id()))
                .findFirst()
                .orElseThrow();

        assertThat(outbox.keep(first, later.plus(Duration.ofMinutes(2))))
                .as("the first sender's claim, overtaken")
                .isFalse();
        assertThat(outbox.keep(second, later.plus(Duration.ofMinutes(2))))
                .as("the second sender's claim")
                .isTrue();
    }

    private String webhookName(DeliveryOutbox.Claimed c) {
        return jdbc.sql("SELECT name FROM health_webhooks WHERE id = ?")
                .param(c.webhookId())
                .query(String.class)
                .single();
    }

    @Test
    void aWebhookHearsOnlyOfTablesItsOwnerMayReadAndOfTheCatalogItNames() {
        String table = newTable();
        String catalog = table.substring(0, table.indexOf('.'));
        String otherCatalog = newCatalogWithSchemaS();
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        // a team that may read the table, and one that may not
        String readers = "readers_" + id;
        TestHttp asReaders = newTeam(readers);
        grant("table", table, readers, "SELECT");
        grant("schema", catalog + ".s", readers, "USE_SCHEMA");
        grant("catalog", catalog, readers, "USE_CATALOG");
        String outsiders = "team_" + id;
        TestHttp asOutsiders = newTeam(outsiders);
        String reads = "reads_" + id; // the readers', on every catalog
        String here = "here_" + id; // the readers', on the table's catalog
        String elsewhere = "elsewhere_" + id; // the readers', on another catalog
        String spy = "spy_" + id; // the outsiders', on every catalog
        webhook(asReaders, "{\"name\":\"" + reads + "\",\"url\":\"" + url("/" + reads) + "\"}");
        webhook(
                asReaders,
                "{\"name\":\"" + here + "\",\"url\":\"" + url("/" + here) + "\",\"catalog_name\":\"" + catalog + "\"}");
        webhook(
                asReaders,
                "{\"name\":\"" + elsewhere + "\",\"url\":\"" + url("/" + elsewhere) + "\",\"catalog_name\":\""
                        + otherCatalog + "\"}");
        webhook(asOutsiders, "{\"name\":\"" + spy + "\",\"url\":\"" + url("/" + spy) + "\"}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));

        evaluator.evaluate();
        sender.deliverDue();

        List<JsonNode> open = incidents(table, "OPEN");
        assertThat(open).as("the incident opened").hasSize(1);
        Set<String> ours = Set.of("/" + reads, "/" + here, "/" + elsewhere, "/" + spy);
        List<Received> heard =
                received.stream().filter(r -> ours.contains(r.path())).toList();
        assertThat(heard)
                .extracting(Received::path)
                .as("the readers' webhooks on every catalog and on the table's, once each; not the one on another"
                        + " catalog, nor another team's")
                .containsExactlyInAnyOrder("/" + reads, "/" + here);
        assertThat(heard).allSatisfy(r -> {
            assertThat(r.event()).isEqualTo("incident.opened");
            JsonNode incident = JSON.readTree(r.body()).get("incident");
            assertThat(incident.get("table").asString()).isEqualTo(table);
            assertThat(incident.get("id").asString())
                    .isEqualTo(open.get(0).get("id").asString());
        });

        assertThat(ok(asOutsiders.get("/api/v1/health/webhooks"), 200).get("webhooks"))
                .as("a principal lists its own webhooks")
                .singleElement()
                .satisfies(w -> assertThat(w.get("name").asString()).isEqualTo(spy));
        assertThat(asOutsiders.delete("/api/v1/health/webhooks/" + spy).statusCode())
                .isEqualTo(204);
    }

    @Test
    void aReceiverThatRedirectsIsNotFollowedAndItsDeliveryIsNotDelivered() {
        String table = newTable();
        String name = "moved_" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/" + name;
        String movedTo = path + "/moved-here";
        redirects.put(path, url(movedTo)); // same receiver, an allowed host: only the redirect rule refuses
        webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + url(path) + "\"" + onlyOf(table) + "}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));

        evaluator.evaluate();
        sender.deliverDue();

        assertThat(at(path))
                .as("the webhook's URL was sent the opening, and answered 302")
                .hasSize(1);
        assertThat(at(movedTo)).as("docs/health.md: no redirect followed").isEmpty();
        assertThat(pendingOf(name))
                .as("not delivered: still queued, its answer the error")
                .singleElement()
                .satisfies(d -> assertThat(d.lastError()).isEqualTo("HTTP 302"));

        // a minute on (past any first back-off): sent again to the same URL, still not followed
        movable().advance(Duration.ofMinutes(1));
        sender.deliverDue();
        assertThat(at(path))
                .extracting(Received::delivery)
                .hasSize(2)
                .containsOnly(at(path).get(0).delivery());
        assertThat(at(movedTo)).isEmpty();
        assertThat(pendingOf(name)).hasSize(1);
    }

    @Test
    void aReceiverThatKeepsFailingIsSentAgainAfterTenSecondsDoublingToAnHour() {
        String table = newTable();
        String name = "failing_" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/" + name;
        webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + url(path) + "\"" + onlyOf(table) + "}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));
        failing.set(Integer.MAX_VALUE); // the receiver answers 503 throughout
        evaluator.evaluate();

        // docs/health.md: "gets the same delivery again after 10 s, doubling to an hour", each wait spread by
        // up to a fifth either way: 10, 20, 40, 80, 160, 320, 640, 1280, 2560 s, then 5120 s capped to an
        // hour, and an hour again
        long[] documented = {10, 20, 40, 80, 160, 320, 640, 1_280, 2_560, 3_600, 3_600};
        for (int attempt = 1; attempt <= documented.length; attempt++) {
            Instant sentAt = clock.instant();
            sender.deliverDue();
            assertThat(at(path)).as("attempt %d sent", attempt).hasSize(attempt);
            Pending pending = pendingOf(name).get(0);
            assertThat(pending.attempts()).isEqualTo(attempt);
            Duration wait = Duration.between(sentAt, pending.nextAttemptAt());
            Duration expected = Duration.ofSeconds(documented[attempt - 1]);
            assertThat(wait)
                    .as("the wait after attempt %d: %s, give or take a fifth", attempt, expected)
                    .isBetween(
                            expected.multipliedBy(4).dividedBy(5),
                            expected.multipliedBy(6).dividedBy(5));

            movable().advance(wait.minusMillis(1));
            sender.deliverDue();
            assertThat(at(path))
                    .as("not sent before its time, after attempt %d", attempt)
                    .hasSize(attempt);
            movable().advance(Duration.ofMillis(1));
        }
        assertThat(at(path))
                .extracting(Received::delivery)
                .as("one delivery, attempted 11 times")
                .containsOnly(at(path).get(0).delivery());
    }

    @Test
    void onlyHostsTheOperatorAllowsMayBeSubscribed() {
        // this context allows "127.0.0.1,*.example.com" (HealthTestBase); docs/health.md: "*.example.com for a
        // domain's hosts"
        List<String> allowed = List.of(
                "https://hooks.example.com/deltaplane",
                "https://alerts.eu.example.com/deltaplane",
                "https://HOOKS.Example.COM/deltaplane",
                url("/allowed"));
        List<String> refused = List.of(
                "https://hooksexample.com/deltaplane",
                "https://hooks.example.com.attacker.net/deltaplane",
                "https://hooks.example.org/deltaplane",
                "http://127.0.0.2/deltaplane",
                "http://localhost/deltaplane");
        String id = UUID.randomUUID().toString().substring(0, 8);
        Set<String> made = new HashSet<>();
        for (int i = 0; i < allowed.size(); i++) {
            String name = "allowed_" + i + "_" + id;
            made.add(webhook(http, "{\"name\":\"" + name + "\",\"url\":\"" + allowed.get(i) + "\"}"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < refused.size(); i++) {
            String name = "refused_" + i + "_" + id;
            names.add(name);
            var answer = http.post(
                    "/api/v1/health/webhooks", "{\"name\":\"" + name + "\",\"url\":\"" + refused.get(i) + "\"}");
            assertProblem(answer, 400, "VALIDATION_FAILED");
            assertThat(answer.body()).as(refused.get(i)).contains("a host the operator allows");
        }
        Set<String> listed = new HashSet<>();
        ok(http.get("/api/v1/health/webhooks"), 200)
                .get("webhooks")
                .forEach(w -> listed.add(w.get("name").asString()));
        assertThat(listed).containsAll(made).doesNotContainAnyElementsOf(names);
        assertThat(made).hasSize(4);
        for (String name : made) { // nothing for later tests' incidents to send to hosts that do not resolve here
            assertThat(http.delete("/api/v1/health/webhooks/" + name).statusCode())
                    .isEqualTo(204);
        }
    }

    @Test
    void withNoHostsAllowedNoWebhookMayBeMade() {
        // docs/health.md: "empty by default, so nothing leaves the platform until it is set"
        WebhookTargets unset = new WebhookTargets(
                new HealthProperties(true, Duration.ofMinutes(1), null),
                new HealthSecrets(new Secrets(SECRETS::get, "DELTAPLANE_SECRET_", Optional.empty())));
        assertThatThrownBy(() -> unset.checkUrl("http://127.0.0.1/hook")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> unset.checkUrl("https://hooks.example.com/hook"))
                .isInstanceOf(ApiException.class);
        WebhookTargets set = new WebhookTargets(
                new HealthProperties(true, Duration.ofMinutes(1), List.of(" *.Example.com ")),
                new HealthSecrets(new Secrets(SECRETS::get, "DELTAPLANE_SECRET_", Optional.empty())));
        set.checkUrl("https://hooks.example.com/hook"); // the positive control: set, it is allowed
        assertThatThrownBy(() -> set.checkUrl("http://127.0.0.1/hook")).isInstanceOf(ApiException.class);
    }

    @Test
    void aSecretUrlIsCheckedWhenSentOnlyToAnAllowedHost() {
        String table = newTable();
        String id =
                UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase(Locale.ROOT);
        String allowedPath = "/secret_allowed_" + id;
        String refusedPath = "/secret_refused_" + id;
        // the same receiver, once by an allowed host (127.0.0.1), once by one that is not (localhost)
        SECRETS.put("DELTAPLANE_SECRET_ALLOWED_URL_" + id, url(allowedPath));
        SECRETS.put(
                "DELTAPLANE_SECRET_REFUSED_URL_" + id,
                "http://localhost:" + receiver.getAddress().getPort() + refusedPath);
        String allowed = webhook(
                http,
                "{\"name\":\"secret_allowed_" + id + "\",\"url_secret\":\"DELTAPLANE_SECRET_ALLOWED_URL_" + id + "\""
                        + onlyOf(table) + "}");
        String refused = webhook(
                http,
                "{\"name\":\"secret_refused_" + id + "\",\"url_secret\":\"DELTAPLANE_SECRET_REFUSED_URL_" + id + "\""
                        + onlyOf(table) + "}");
        ok(commit(table, 0, add("a.parquet", 1_000)), 201);
        catalogSla(table, "interval 1 second");
        movable().advance(Duration.ofSeconds(5));

        evaluator.evaluate();
        sender.deliverDue();

        assertThat(at(allowedPath)).extracting(Received::event).containsExactly("incident.opened");
        assertThat(at(refusedPath))
                .as("a host the operator does not allow: nothing sent")
                .isEmpty();
        assertThat(pendingOf(allowed)).as("delivered").isEmpty();
        assertThat(pendingOf(refused))
                .singleElement()
                .satisfies(d -> assertThat(d.lastError()).contains("not to an allowed host"));
    }

    /** A delivery still queued: when it is next attempted, how often it was, and why the last failed. */
    record Pending(Instant nextAttemptAt, int attempts, String lastError) {}

    private List<Pending> pendingOf(String webhook) {
        return jdbc.sql("SELECT d.next_attempt_at, d.attempts, d.last_error FROM health_deliveries d"
                        + " JOIN health_webhooks w ON w.id = d.webhook_id WHERE w.name = ?")
                .param(webhook)
                .query((rs, n) -> new Pending(rs.getTimestamp(1).toInstant(), rs.getInt(2), rs.getString(3)))
                .list();
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
