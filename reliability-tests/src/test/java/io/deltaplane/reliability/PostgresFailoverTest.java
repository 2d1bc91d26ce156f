package io.deltaplane.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.CommitHistory;
import io.deltaplane.testing.CommitHistory.Outcome;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.DeltaLogVersions;
import io.deltaplane.testing.PlatformApps;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Postgres primary failover under commit load, on one machine: a pg_auto_failover formation (a
 * monitor, a primary and a synchronous standby: {@link PostgresFormation}), metadata-service as the
 * build packaged it, configured as an operator configures it for a Postgres with failover — a JDBC
 * URL naming both nodes with {@code targetServerType=primary} — with writers committing to two
 * tables throughout (racing commits and multi-table transactions) and a reader polling a table. The
 * primary is killed with {@code kill -9} (keeper and Postgres, as a crashed host); the monitor
 * promotes the standby. Proven afterwards: every acknowledged commit is in its table once at its
 * version on the new primary and published to {@code _delta_log} action by action; requests in
 * flight got 503 with {@code Retry-After} (or a broken connection), never a 500; and the service
 * commits again within 30 s of the kill, without a restart.
 */
class PostgresFailoverTest {

    private static final String KEY = "failover-admin-key-0001";
    private static final List<String> TABLES = List.of("fo.s.a", "fo.s.b");
    /** What the issue promises: serving again within this of the primary's death, without a restart. */
    private static final Duration SERVES_AGAIN_WITHIN = Duration.ofSeconds(30);

    private final CommitHistory history = new CommitHistory();
    private PostgresFormation formation;
    private ServiceProcess service;
    private CommitWorkload workload;
    private Reads reads;

    @TempDir
    Path warehouse;

    @AfterEach
    void stop() throws InterruptedException {
        if (workload != null) {
            workload.stop(); // also when an assertion failed: no writers left behind for later tests
        }
        if (reads != null) {
            reads.stop();
        }
        if (service != null) {
            service.close();
        }
        if (formation != null) {
            formation.close();
        }
    }

    @Test
    void aPrimaryKilledUnderCommitLoadLosesNothingAcknowledgedAndTheServiceCommitsAgainWithoutARestart()
            throws Exception {
        // a directory of its own under /tmp: the formation's nodes run as the postgres user
        formation = PostgresFormation.up(Files.createTempDirectory(Path.of("/tmp"), "pgaf"));
        TestDatabase db = TestDatabase.on(formation.jdbcUrl("postgres"));
        service = ServiceProcess.start(
                "metadata-failover",
                ServiceProcess.Launch.jar(PlatformApps.builtJar("metadata-service")),
                ServiceProcess.SUITE_JVM_OPTIONS,
                db,
                KEY,
                Map.of(
                        "deltaplane.warehouse.root", warehouse.toString(),
                        "deltaplane.db.connect-timeout", "1s",
                        "deltaplane.lineage.enabled", "false"));
        workload = new CommitWorkload(KEY, TABLES, service::baseUrl, history);
        workload.createTables();
        workload.start(2);
        reads = new Reads(service.baseUrl() + "/api/v1/tables/" + TABLES.get(0));
        reads.start();
        CommitWorkload.pause(Duration.ofSeconds(5));
        long acknowledgedBefore = history.count(Outcome.ACKNOWLEDGED);
        assertThat(acknowledgedBefore)
                .as("commits acknowledged before the failover")
                .isPositive();

        int killed = formation.primary();
        formation.kill(killed); // returns once the node's keeper and Postgres are gone
        long killedAt = System.nanoTime();
        long again = awaitAcknowledgedInvokedAfter(killedAt, SERVES_AGAIN_WITHIN.plusSeconds(30));
        int promoted = formation.primaryOtherThan(killed);
        long servesAgainMillis = TimeUnit.NANOSECONDS.toMillis(again - killedAt);

        CommitWorkload.pause(Duration.ofSeconds(5));
        workload.stop();
        reads.stop();
        Map<String, Long> current = workload.awaitPublished();
        Engine kernel = DefaultEngine.create(new Configuration());
        CommitChecker.Check check = CommitChecker.checkEveryAction(
                db, history, current, (location, newest) -> DeltaLogVersions.versions(kernel, location, newest));
        System.out.printf(
                Locale.ROOT,
                "postgres failover: primary on %d killed, standby on %d promoted; commits again after %d ms;"
                        + " reads during the run %s (503 without Retry-After: %d); %s%n",
                killed,
                promoted,
                servesAgainMillis,
                new TreeMap<>(reads.statuses),
                reads.unavailableWithoutRetryAfter.get(),
                check.summary(history));

        check.assertNothingLost(history); // every acknowledged commit once at its version; no 500
        assertThat(history.count(Outcome.ACKNOWLEDGED))
                .as("commits acknowledged after the failover too")
                .isGreaterThan(acknowledgedBefore);
        assertThat(Duration.ofMillis(servesAgainMillis))
                .as("commits acknowledged again after the primary died, without a restart")
                .isLessThanOrEqualTo(SERVES_AGAIN_WITHIN);
        assertThat(reads.statuses.keySet())
                .as(
                        "what readers were answered: the table, 503 while Postgres failed over, or a broken connection (-1)")
                .isSubsetOf(200, 503, -1);
        assertThat(reads.statuses.getOrDefault(503, 0) + history.count(Outcome.INDETERMINATE))
                .as("requests the failover interrupted (the fault fired)")
                .isPositive();
        assertThat(reads.unavailableWithoutRetryAfter.get())
                .as("503 answers without Retry-After")
                .isZero();
    }

    /** When the first commit sent after {@code nanos} was acknowledged (a commit sent before the kill does not count). */
    private long awaitAcknowledgedInvokedAfter(long nanos, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            java.util.OptionalLong first = history.operations().stream()
                    .filter(o -> o.outcome() == Outcome.ACKNOWLEDGED && o.invokedNanos() > nanos)
                    .mapToLong(CommitHistory.Operation::completedNanos)
                    .min();
            if (first.isPresent()) {
                return first.getAsLong();
            }
            assertThat(System.nanoTime())
                    .as("a commit sent after the primary died is acknowledged")
                    .isLessThan(deadline);
            CommitWorkload.pause(Duration.ofMillis(20));
        }
    }

    /** A reader loading a table over and over: each answer's status, and 503s without {@code Retry-After}. */
    private static final class Reads {
        private final URI uri;
        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        private final AtomicInteger unavailableWithoutRetryAfter = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(this::run, "failover-reader");

        Reads(String url) {
            this.uri = URI.create(url);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread.isAlive()) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }

        private void run() {
            while (running.get()) {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .header("Authorization", "Bearer " + KEY)
                        .timeout(Duration.ofSeconds(20))
                        .GET()
                        .build();
                try {
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    statuses.merge(answer.statusCode(), 1, Integer::sum);
                    if (answer.statusCode() == 503
                            && answer.headers().firstValue("Retry-After").isEmpty()) {
                        unavailableWithoutRetryAfter.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    statuses.merge(-1, 1, Integer::sum); // the connection broke
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                CommitWorkload.pause(Duration.ofMillis(50));
            }
        }
    }
}
