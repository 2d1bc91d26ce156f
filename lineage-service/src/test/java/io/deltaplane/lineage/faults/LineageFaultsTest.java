package io.deltaplane.lineage.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.lineage.LineageServiceApplication;
import io.deltaplane.testing.FaultyConnections;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * lineage-service under faults, judged by what it stored. Writers send OpenLineage events — a run's
 * START and COMPLETE one by one ({@code POST /api/v1/lineage}) and as a batch of two ({@code POST
 * /api/v1/lineage/batch}) — to the service in a JVM of its own, reaching Postgres through a TCP
 * proxy, while faults are injected: Postgres unreachable for 4 s, the service killed with {@code
 * kill -9} and started again, a 200 ms blip of cut connections. Every event sent is recorded with
 * its answer; afterwards the checker reads Postgres: every acknowledged event is stored exactly
 * once, none is stored twice, an acknowledged COMPLETE left its run COMPLETED, and no caller ever saw
 * a 500 (during a fault: 503, or no connection while the service is down).
 */
class LineageFaultsTest {

    private static final String KEY = "faults-admin-key-lineage-0001";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int WRITERS = 3;

    private final TestDatabase db = TestDatabase.createAnother();
    private final FaultyConnections postgres = FaultyConnections.inFrontOf(5432);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
    private volatile ServiceProcess service;

    /** One event sent: its run, type, how it was sent and the answer (-1: no connection). */
    private record Sent(UUID runId, String eventType, boolean batch, int status, String answer) {

        boolean acknowledged() {
            return status == 201 || (batch && status == 200 && answer.contains("\"ACCEPTED\""));
        }
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
        postgres.close();
    }

    @Test
    void everyAcknowledgedEventIsStoredOnceUnderFaults() throws Exception {
        service = start();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            boolean batch = w == 0;
            String job = "faults_job_" + w;
            pool.submit(() -> {
                while (running.get()) {
                    UUID run = UUID.randomUUID();
                    if (batch) {
                        sendBatch(job, run);
                    } else if (sendOne(job, run, "START")) {
                        sendOne(job, run, "COMPLETE");
                    }
                }
                return null;
            });
        }

        // each fault shows it fired: the proxy counts the connections it broke, the killed port is closed
        pause(FaultyConnections.BETWEEN_FAULTS);
        int broken = postgres.brokenWhileUnreachable();
        postgres.unreachable(); // Postgres unreachable for 4 s
        pause(Duration.ofSeconds(4));
        postgres.heal();
        assertThat(postgres.brokenWhileUnreachable())
                .as("connections the outage broke")
                .isGreaterThan(broken);
        pause(FaultyConnections.BETWEEN_FAULTS);
        URI killed = URI.create(service.baseUrl());
        service.kill(); // kill -9, started again
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(killed.getHost(), killed.getPort()), 1_000);
            throw new AssertionError("lineage-service still accepts connections after kill -9");
        } catch (java.io.IOException refused) {
            // the kill fired
        }
        service = start();
        pause(FaultyConnections.BETWEEN_FAULTS);
        broken = postgres.brokenWhileUnreachable();
        postgres.unreachable(); // a blip of cut connections
        pause(Duration.ofMillis(200));
        postgres.heal();
        assertThat(postgres.brokenWhileUnreachable())
                .as("pool connections the blip cut")
                .isGreaterThan(broken);
        pause(FaultyConnections.BETWEEN_FAULTS);
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        List<Sent> all = new ArrayList<>(sent);
        Map<Integer, Integer> answers = new java.util.TreeMap<>();
        all.forEach(s -> answers.merge(s.status(), 1, Integer::sum));
        System.out.println("lineage faults: events sent by answer " + answers);
        assertThat(all.stream().filter(s -> s.status() >= 500 && s.status() != 503))
                .as("answers other than 2xx, 4xx, 503 or no connection")
                .isEmpty();
        assertThat(all.stream().filter(s -> s.status() >= 400 && s.status() < 500))
                .as("well-formed events refused")
                .isEmpty();
        List<Sent> acknowledged = all.stream().filter(Sent::acknowledged).toList();
        assertThat(acknowledged).as("events acknowledged").hasSizeGreaterThan(10);

        Map<String, Integer> stored = stored();
        for (Sent event : acknowledged) {
            assertThat(stored.getOrDefault(event.runId() + " " + event.eventType(), 0))
                    .as("acknowledged %s of run %s stored once", event.eventType(), event.runId())
                    .isEqualTo(1);
        }
        assertThat(stored.values().stream().filter(n -> n > 1))
                .as("events stored twice")
                .isEmpty();
        for (Sent event : acknowledged) {
            if (event.eventType().equals("COMPLETE")) {
                JsonNode run = JSON.readTree(
                        call("GET", "/api/v1/runs/" + event.runId(), null).body());
                assertThat(run.path("state").asString())
                        .as("run %s", event.runId())
                        .isEqualTo("COMPLETED");
            }
        }
    }

    private boolean sendOne(String job, UUID run, String type) {
        Answer answer = post("/api/v1/lineage", event(job, run, type));
        Sent s = new Sent(run, type, false, answer.status(), answer.body());
        sent.add(s);
        backOffUnless(s.acknowledged());
        return s.acknowledged();
    }

    private void sendBatch(String job, UUID run) {
        Answer answer =
                post("/api/v1/lineage/batch", "[" + event(job, run, "START") + "," + event(job, run, "COMPLETE") + "]");
        boolean both = answer.status() == 200
                && JSON.readTree(answer.body()).path("accepted").asInt() == 2;
        sent.add(new Sent(run, "START", true, both ? 200 : answer.status(), both ? "\"ACCEPTED\"" : answer.body()));
        sent.add(new Sent(run, "COMPLETE", true, both ? 200 : answer.status(), both ? "\"ACCEPTED\"" : answer.body()));
        backOffUnless(both);
    }

    private static String event(String job, UUID run, String type) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"" + Instant.now() + "\",\"producer\":\"faults\","
                + "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\","
                + "\"run\":{\"runId\":\"" + run + "\"},\"job\":{\"namespace\":\"faults\",\"name\":\"" + job
                + "\"},\"inputs\":[],\"outputs\":[]}";
    }

    /** Stored events per "runId eventType", read from Postgres. */
    private Map<String, Integer> stored() throws Exception {
        Map<String, Integer> stored = new HashMap<>();
        try (Connection c = db.connect();
                Statement sql = c.createStatement();
                ResultSet rows = sql.executeQuery(
                        "SELECT run_id, event_type, count(*) FROM lineage.openlineage_events GROUP BY 1, 2")) {
            while (rows.next()) {
                stored.put(rows.getString(1) + " " + rows.getString(2), rows.getInt(3));
            }
        }
        return stored;
    }

    private record Answer(int status, String body) {}

    private Answer post(String path, String body) {
        try {
            HttpResponse<String> response = call("POST", path, body);
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(-1, e.toString()); // killed, or starting again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    private HttpResponse<String> call(String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private ServiceProcess start() throws Exception {
        return ServiceProcess.start(
                "lineage-faults",
                ServiceProcess.Launch.mainClass(LineageServiceApplication.class.getName()),
                ServiceProcess.SUITE_JVM_OPTIONS,
                db,
                db.url().replaceFirst("//[^/]+/", "//127.0.0.1:" + postgres.port() + "/"),
                KEY,
                Map.of());
    }

    private static void backOffUnless(boolean acknowledged) {
        if (!acknowledged) {
            pause(Duration.ofMillis(50));
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
