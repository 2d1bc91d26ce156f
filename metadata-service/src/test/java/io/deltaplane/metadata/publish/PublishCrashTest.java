package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The publisher dies between the Postgres commit and the file write (and in the middle of a write);
 * after a restart the log converges: every version once, in order, no gap, no partial file.
 */
class PublishCrashTest extends PublishTestBase {

    @Test
    void crashesBetweenCommitAndWriteConvergeWithoutGapsOrPartialFiles() throws IOException {
        scheduler.stop();
        try {
            String table = newTable();
            for (long v = 0; v < 6; v++) {
                ok(commit(table, v, add("f" + v + ".parquet", 10 + v)), 201);
            }
            String location = location(table);
            Path log = logDir(table);
            // Committed in Postgres, nothing published: commits do not wait for the file system.
            assertThat(publishStatus(table).get("lag_versions").asLong()).isEqualTo(7);
            assertThat(names(log)).noneMatch(n -> n.endsWith(".json"));

            // Crash 1: versions 0..2 reach the disk, the process dies before recording it.
            Storage real = new LocalFileStorage();
            DeltaLogPublisher dying = publisher(TestStorages.wrap(
                    real,
                    TestStorages.crashWhen((path, before) ->
                            !before && path.startsWith(log.toString()) && path.endsWith("00000000000000000002.json"))));
            assertThatThrownBy(dying::drain).isInstanceOf(TestStorages.SimulatedCrash.class);
            // Nothing recorded (progress comes with the lease's renewal, every third of it)...
            assertThat(publishStatus(table).get("lag_versions").asLong()).isEqualTo(7);
            assertThat(names(log)).contains("00000000000000000002.json");
            // ...and the dead worker's lease keeps every other worker off the table until it runs out.
            assertThat(publisher(real).drain()).isZero();
            leaseRunsOut(table);

            // Crash 2: dies half-way through writing version 3's bytes (only a hidden temp file exists).
            DeltaLogPublisher dyingMidWrite = publisher(TestStorages.wrap(real, (r, path, content, before) -> {
                if (before && path.startsWith(log.toString()) && path.endsWith("00000000000000000003.json")) {
                    Files.write(
                            Path.of(path).resolveSibling(".00000000000000000003.json.crashed.tmp"),
                            java.util.Arrays.copyOf(content, content.length / 2));
                    throw new TestStorages.SimulatedCrash("died mid-write");
                }
            }));
            assertThatThrownBy(dyingMidWrite::drain).isInstanceOf(TestStorages.SimulatedCrash.class);
            assertThat(names(log)).doesNotContain("00000000000000000003.json");
            leaseRunsOut(table);

            // Restart: the normal publisher converges.
            scheduler.start();
            JsonNode status = awaitPublished(table);
            assertThat(status.get("published_version").asLong()).isEqualTo(6);
            assertThat(status.get("last_error").isNull()).isTrue();

            List<String> visible =
                    names(log).stream().filter(n -> !n.startsWith(".")).toList();
            assertThat(visible)
                    .containsExactly(
                            "00000000000000000000.json",
                            "00000000000000000001.json",
                            "00000000000000000002.json",
                            "00000000000000000003.json",
                            "00000000000000000004.json",
                            "00000000000000000005.json",
                            "00000000000000000006.json");
            for (long v = 0; v <= 6; v++) {
                String expected = new String(
                        DeltaLogJson.render(jdbc.sql("SELECT actions::text FROM commits c JOIN tables t ON t.id ="
                                        + " c.table_id WHERE t.full_name = :t AND c.version = :v")
                                .param("t", table)
                                .param("v", v)
                                .query(String.class)
                                .single()),
                        StandardCharsets.UTF_8);
                assertThat(Files.readString(log.resolve(String.format("%020d.json", v))))
                        .as("version %d is whole and as committed", v)
                        .isEqualTo(expected);
            }
            KernelReader.View kernel = KernelReader.read(location, null);
            assertThat(kernel.version()).isEqualTo(6);
            assertThat(kernel.livePaths()).hasSize(6);
        } finally {
            if (!scheduler.isRunning()) {
                scheduler.start();
            }
        }
    }

    /** The time a dead worker's lease has left passes (Postgres's clock decides, not ours). */
    private void leaseRunsOut(String table) {
        assertThat(jdbc.sql("UPDATE publish_state SET publish_lease_until = now() - interval '1 second'"
                                + " WHERE full_name = :t AND publish_lease_token IS NOT NULL")
                        .param("t", table)
                        .update())
                .isEqualTo(1);
    }

    private DeltaLogPublisher publisher(Storage storage) {
        return new DeltaLogPublisher(
                repository, commitRows, new Storages(List.of(storage)), transactions, properties, metrics, clock);
    }
}
