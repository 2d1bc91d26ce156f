package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A publisher leases its table and marks progress by updating the table's publish_state row (short
 * statements, never held across storage I/O: see {@link PublishLeaseTest}), and holds each update
 * until its COMMIT is flushed; a commit to the same table must not wait for it.
 */
class CommitVersusPublisherLockTest extends PublishTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void aCommitDoesNotWaitForAPublisherUpdatingTheTablesPublishState() throws Exception {
        String table = newTable();
        UUID id = UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
        scheduler.stop();
        try (Connection publisher = dataSource.getConnection()) {
            publisher.setAutoCommit(false);
            try (PreparedStatement update =
                    publisher.prepareStatement("UPDATE publish_state SET attempts = attempts WHERE table_id = ?")) {
                update.setObject(1, id);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            try {
                var commit = CompletableFuture.supplyAsync(() -> commit(table, 0, add("a.parquet", 10)));
                assertThat(commit.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
                // ...and its version is queued for publishing all the same.
                assertThat(jdbc.sql("SELECT count(*) FROM publish_queue WHERE table_id = ? AND version = 1")
                                .param(id)
                                .query(Long.class)
                                .single())
                        .isEqualTo(1);
            } finally {
                publisher.rollback();
            }
        } finally {
            scheduler.start();
        }
    }
}
