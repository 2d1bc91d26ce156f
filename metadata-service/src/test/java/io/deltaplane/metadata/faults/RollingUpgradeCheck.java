package io.deltaplane.metadata.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataServiceApplication;
import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.CommitChecker.Check;
import io.deltaplane.testing.CommitHistory;
import io.deltaplane.testing.CommitWorkload;
import io.deltaplane.testing.DeltaLogVersions;
import io.deltaplane.testing.ServiceProcess;
import io.deltaplane.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade of metadata-service, with writers committing throughout (plain commits racing
 * per table, multi-table transactions) to whichever replica is up, round-robin: the previous
 * release's replica alone; a replica of this build joins it (migrating the schema under it) and
 * both publish to the same {@code _delta_log}; the old replica is killed with {@code kill -9} and
 * starts again on the newer schema, as a crashed pod does mid-rollout; it is then stopped and a
 * second replica of this build takes its place. The checker ({@link CommitChecker}) proves every
 * acknowledged commit is there once at its version, versions are contiguous, and every version of
 * each published {@code _delta_log} holds, as Delta Kernel reads it, every action Postgres recorded
 * for it with the same fields ({@link CommitChecker#logMismatches}); and every {@code _delta_log}
 * file is byte for byte what this build renders from the version's actions in Postgres.
 *
 * <p>It needs the previous release's jar, so it is not in the build's test run (its name does not
 * end in Test): {@code tools/rolling-upgrade} builds that jar and runs it.
 */
class RollingUpgradeCheck {

    private static final String KEY = "rolling-admin-key-0001";
    private static final List<String> TABLES = List.of("r.s.a", "r.s.b", "r.s.c");

    private final TestDatabase db = TestDatabase.createAnother();
    private final Path warehouse = temporaryWarehouse();
    private final CommitHistory history = new CommitHistory();
    private final List<ServiceProcess> replicas = new CopyOnWriteArrayList<>();
    private final AtomicInteger turn = new AtomicInteger();
    private final CommitWorkload workload = new CommitWorkload(KEY, TABLES, this::nextReplica, history);

    @AfterEach
    void stop() {
        replicas.forEach(ServiceProcess::close);
    }

    @Test
    void publishingStaysWholeWhileReplicasOfTwoVersionsServeSideBySide() throws Exception {
        String previousJar = System.getProperty("upgrade.previous-jar");
        assertThat(previousJar)
                .as("-Dupgrade.previous-jar=<the previous release's metadata-service jar> (tools/rolling-upgrade)")
                .isNotBlank();
        Path previous = Path.of(previousJar);
        assertThat(previous).isRegularFile();

        long started = System.nanoTime();
        ServiceProcess old = start("previous", ServiceProcess.Launch.jar(previous));
        replicas.add(old);
        workload.createTables();
        workload.start(2);
        CommitWorkload.pause(Duration.ofSeconds(4));

        // This build joins, migrating the schema while the old replica serves and publishes.
        replicas.add(start("current-1", currentBuild()));
        CommitWorkload.pause(Duration.ofSeconds(6));

        // The old replica crashes and starts again, now on the newer schema.
        replicas.remove(old);
        old.kill();
        old = start("previous-restarted", ServiceProcess.Launch.jar(previous));
        replicas.add(old);
        CommitWorkload.pause(Duration.ofSeconds(6));

        // The rollout ends: the old replica goes, a second one of this build takes its place.
        replicas.add(start("current-2", currentBuild()));
        replicas.remove(old);
        old.close();
        CommitWorkload.pause(Duration.ofSeconds(4));
        workload.stop();
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        Map<String, Long> current = workload.awaitPublished();
        Check check = CommitChecker.checkEveryAction(
                db,
                history,
                current,
                (location, newest) -> DeltaLogVersions.versions(KernelReader.ENGINE, location, newest));
        System.out.printf(
                Locale.ROOT, "rolling upgrade: %d s, versions %s; %s%n", seconds, current, check.summary(history));

        check.assertNothingLost(history);
        assertThat(filesNotAsThisBuildRendersThem(current))
                .as("_delta_log files that differ from what this build renders from Postgres")
                .isEmpty();
    }

    private static final String ACTIONS = "SELECT c.actions::text, t.location FROM metadata.commits c"
            + " JOIN metadata.tables t ON t.id = c.table_id WHERE t.full_name = ? AND c.version = ?";

    /**
     * Both builds publish the same bytes: every {@code <v>.json} on disk compared with what this
     * build renders from the version's actions in Postgres.
     */
    private List<String> filesNotAsThisBuildRendersThem(Map<String, Long> current) throws Exception {
        List<String> differing = new java.util.ArrayList<>();
        try (java.sql.Connection c = db.connect();
                java.sql.PreparedStatement s = c.prepareStatement(ACTIONS)) {
            for (var table : current.entrySet()) {
                for (long v = 0; v <= table.getValue(); v++) {
                    s.setString(1, table.getKey());
                    s.setLong(2, v);
                    try (java.sql.ResultSet rs = s.executeQuery()) {
                        assertThat(rs.next())
                                .as("version %d of %s", v, table.getKey())
                                .isTrue();
                        Path file = Path.of(java.net.URI.create(rs.getString(2)))
                                .resolve("_delta_log")
                                .resolve("%020d.json".formatted(v));
                        if (!Files.exists(file)
                                || !java.util.Arrays.equals(
                                        Files.readAllBytes(file), DeltaLogJson.render(rs.getString(1)))) {
                            differing.add(file.toString());
                        }
                    }
                }
            }
        }
        return differing;
    }

    private ServiceProcess start(String name, ServiceProcess.Launch launch) throws Exception {
        return ServiceProcess.start(
                "rolling-" + name,
                launch,
                ServiceProcess.SUITE_JVM_OPTIONS,
                db,
                KEY,
                Map.of(
                        "deltaplane.warehouse.root", warehouse.toString(),
                        "deltaplane.lineage.enabled", "false",
                        "deltaplane.publish.checkpoint-interval", "10",
                        "deltaplane.publish.checkpoint-min-interval", "0s"));
    }

    private static ServiceProcess.Launch currentBuild() {
        return ServiceProcess.Launch.mainClass(MetadataServiceApplication.class.getName());
    }

    /** The replicas up now, in turn. */
    private String nextReplica() {
        List<ServiceProcess> up = List.copyOf(replicas);
        return up.get(Math.floorMod(turn.getAndIncrement(), up.size())).baseUrl();
    }

    private static Path temporaryWarehouse() {
        try {
            return Files.createTempDirectory("deltaplane-rolling-upgrade");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
