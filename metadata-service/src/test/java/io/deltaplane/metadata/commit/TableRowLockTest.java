package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.MetadataTestBase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The row lock a multi-table transaction takes on each of its tables before its first
 * compare-and-swap ({@link CommitRepository#LOCK_TABLE}) holds off other commits to the table, and
 * nothing else: a statement inserting rows that reference the table (the maintenance worker adds
 * every new table's maintenance_state row in one statement, whose foreign-key checks lock the
 * tables' rows FOR KEY SHARE, in no particular order) goes on, so the two cannot deadlock, as
 * they did under load when the lock was FOR UPDATE.
 */
class TableRowLockTest extends MetadataTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void aLockedTableTakesNoOtherCommitButStillTakesRowsReferencingIt() throws Exception {
        String table = newTable();
        UUID id = UUID.fromString(get("/api/v1/tables/" + table).get("table_id").asString());
        try (Connection transaction = dataSource.getConnection();
                Connection other = dataSource.getConnection()) {
            transaction.setAutoCommit(false);
            other.setAutoCommit(false);
            try (PreparedStatement lock = transaction.prepareStatement(CommitRepository.LOCK_TABLE)) {
                lock.setObject(1, id);
                lock.executeQuery().close();
            }
            try (Statement s = other.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '2s'");
            }
            try (PreparedStatement reference = other.prepareStatement(
                    "INSERT INTO maintenance_state (table_id) VALUES (?) ON CONFLICT DO NOTHING")) {
                reference.setObject(1, id);
                reference.executeUpdate(); // a foreign-key check of the locked row: not held off
            }
            try (PreparedStatement commit =
                    other.prepareStatement("UPDATE tables SET updated_at = updated_at WHERE id = ?")) {
                commit.setObject(1, id);
                assertThatThrownBy(commit::executeUpdate)
                        .as("another commit's compare-and-swap waits for the lock")
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("55P03"));
            }
            other.rollback();
            transaction.rollback();
        }
    }
}
