package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.storage.StoragePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** The shared app context of the core's tests, plus helpers to watch publishing. */
public abstract class PublishTestBase extends MetadataTestBase {

    @Autowired
    protected PublishScheduler scheduler;

    // What a test needs to build publishers of its own (another worker, another "replica").
    @Autowired
    protected PublishRepository repository;

    @Autowired
    protected PublishStates publishStates;

    @Autowired
    protected CommitRows commitRows;

    @Autowired
    protected CheckpointRepository checkpoints;

    @Autowired
    protected TransactionTemplate transactions;

    @Autowired
    protected PublishProperties properties;

    @Autowired
    protected PublishMetrics metrics;

    @Autowired
    protected Clock clock;

    @Autowired
    protected JdbcClient jdbc;

    /** {@code p} with another lease and number of tables per round (publishers a test builds itself). */
    protected static PublishProperties with(PublishProperties p, Duration lease, int tablesPerRound) {
        return with(p, lease, tablesPerRound, p.maxVersionsPerBatch());
    }

    /** ... and another number of versions one table's batch writes. */
    protected static PublishProperties with(
            PublishProperties p, Duration lease, int tablesPerRound, int maxVersionsPerBatch) {
        return new PublishProperties(
                p.enabled(),
                p.pollInterval(),
                maxVersionsPerBatch,
                p.checkpointInterval(),
                p.checkpointMinInterval(),
                p.checkpoints(),
                p.retryInitialBackoff(),
                p.retryMaxBackoff(),
                p.reconcileInterval(),
                p.checkpointLease(),
                p.workers(),
                p.lagGaugeTables(),
                lease,
                tablesPerRound,
                p.gather(),
                p.answerWait());
    }

    protected String location(String table) {
        return get("/api/v1/tables/" + table).get("location").asString();
    }

    protected Path logDir(String table) {
        return StoragePaths.toPath(location(table)).resolve("_delta_log");
    }

    protected JsonNode publishStatus(String table) {
        return get("/api/v1/tables/" + table + "/publish");
    }

    /** Waits until every committed version of {@code table} is in its _delta_log. */
    protected JsonNode awaitPublished(String table) {
        return await(
                table,
                s -> s.get("lag_versions").asLong() == 0
                        && s.get("published_version").asLong()
                                == s.get("table_version").asLong());
    }

    protected JsonNode awaitCheckpoint(String table, long version) {
        return await(
                table,
                s -> s.hasNonNull("last_checkpoint_version")
                        && s.get("last_checkpoint_version").asLong() >= version);
    }

    protected JsonNode await(String table, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode status = publishStatus(table);
        while (!done.test(status)) {
            assertThat(System.nanoTime())
                    .as("publish status of %s: %s", table, status)
                    .isLessThan(deadline);
            sleep(50);
            status = publishStatus(table);
        }
        return status;
    }

    /** Names of the files in {@code dir}, sorted. */
    protected static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
