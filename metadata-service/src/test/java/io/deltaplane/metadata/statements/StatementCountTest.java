package io.deltaplane.metadata.statements;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The counter behind {@code sql_statements_per_commit} and {@code CommitStatementsTest}, on the
 * application's own {@code DataSource}: a known sequence of statements is counted exactly, COMMIT
 * included; a statement run by another thread while the tally is open, and one run after it is
 * closed, are not (the positive control that the counter sees only its request's work). By part:
 * every statement through the data source is counted under the part of the service whose thread ran
 * it, exported as {@code deltaplane.sql.statements}, the background publishing a commit causes
 * included; a statement on a connection of its own is not.
 */
class StatementCountTest extends MetadataTestBase {

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    MeterRegistry registry;

    @Test
    void aKnownSequenceIsCountedExactlyAndWorkOutsideTheTallyIsNot() throws Exception {
        assertThat(dataSource).isInstanceOf(CountingDataSource.class);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        StatementCount.Tally tally = StatementCount.open(true);
        try {
            jdbc.sql("SELECT 1").query(Integer.class).single(); // 1
            tx.executeWithoutResult(
                    status -> { // BEGIN is a property of the connection, not a statement
                        jdbc.sql("SELECT 2").query(Integer.class).single(); // 2
                        jdbc.sql("SELECT 3").query(Integer.class).single(); // 3
                    }); // COMMIT: 4
            CompletableFuture.runAsync(() ->
                            jdbc.sql("SELECT 'elsewhere'").query(String.class).single())
                    .get(); // another thread's: not this tally's
            assertThat(tally.statements()).isEqualTo(4);
            assertThat(tally.recorded())
                    .hasSize(4)
                    .anySatisfy(s -> assertThat(s).startsWith("SELECT 2"))
                    .noneSatisfy(s -> assertThat(s).contains("elsewhere"));
        } finally {
            StatementCount.close();
        }
        jdbc.sql("SELECT 5").query(Integer.class).single();
        assertThat(tally.statements()).as("after the tally closed").isEqualTo(4);
    }

    @Test
    void everyStatementIsCountedUnderThePartWhoseThreadRanItAndExported() throws Exception {
        StatementsByPart parts = ((CountingDataSource) dataSource).parts();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        Map<String, Long> before = parts.counts();
        onThread("bench-part-x-3", () -> {
            jdbc.sql("SELECT 1").query(Integer.class).single(); // 1
            tx.executeWithoutResult(
                    status -> jdbc.sql("SELECT 2").query(Integer.class).single()); // 2, COMMIT 3
        });
        onThread(
                "bench-part-x-11",
                () -> jdbc.sql("SELECT 4").query(Integer.class).single()); // 4: same part
        onThread(
                "http-nio-0-exec-7",
                () -> jdbc.sql("SELECT 5").query(Integer.class).single());
        // the positive control: a statement on a connection not from the data source is not counted
        try (Connection own = TestDatabase.get().connect();
                Statement s = own.createStatement()) {
            onThread("bench-part-x-1", () -> {
                try {
                    s.execute("SELECT 6");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        assertThat(parts.counts().get("bench-part-x")).isEqualTo(4);
        assertThat(registry.get(StatementsByPart.METRIC)
                        .tag("part", "bench-part-x")
                        .functionCounter()
                        .count())
                .isEqualTo(4.0);
        assertThat(parts.counts().get(StatementsByPart.REQUESTS) - before.getOrDefault(StatementsByPart.REQUESTS, 0L))
                .as("the web server's threads' part (requests of this test run beside it)")
                .isPositive();

        // a commit's publishing runs after its answer, on the publisher's thread: counted there
        long published = parts.counts().getOrDefault("delta-log-publisher", 0L);
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 10)), 201);
        awaitPublished(table, 1);
        assertThat(parts.counts().getOrDefault("delta-log-publisher", 0L))
                .as("statements publishing the commit ran")
                .isGreaterThan(published);
        assertThat(registry.get(StatementsByPart.METRIC)
                        .tag("part", "delta-log-publisher")
                        .functionCounter()
                        .count())
                .isEqualTo(parts.counts().get("delta-log-publisher").doubleValue());
    }

    private static void onThread(String name, Runnable work) throws Exception {
        var thread = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        try {
            thread.submit(work).get(Duration.ofSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            thread.shutdownNow();
        }
    }
}
