package io.deltaplane.metadata.statements;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The counter behind {@code sql_statements_per_commit} and {@code CommitStatementsTest}, on the
 * application's own {@code DataSource}: a known sequence of statements is counted exactly, COMMIT
 * included; a statement run by another thread while the tally is open, and one run after it is
 * closed, are not (the positive control that the counter sees only its request's work).
 */
class StatementCountTest extends MetadataTestBase {

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate tx;

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
}
