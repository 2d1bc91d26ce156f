package io.deltaplane.support.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.db.PlatformSchema;
import io.deltaplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's hash chain on a real Postgres: intact as written, and broken — at the right
 * row — when a row is changed, deleted from the middle, or the newest rows are deleted; retention
 * drops the oldest rows and the chain stays verifiable from its new start.
 */
class AuditChainTest {

    private TestDatabase db;
    private AuditLog audit;

    @BeforeEach
    void freshSchema() {
        db = TestDatabase.createAnother();
        PGSimpleDataSource dataSource = db.dataSource();
        PlatformSchema.migrate(dataSource);
        audit = new AuditLog(
                JdbcClient.create(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Test
    void anIntactChainVerifiesAndEveryRowIsChainedOnce() {
        append(5, Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(audit.verify().unchained()).isEqualTo(5);
        assertThat(audit.chain(3)).isEqualTo(3);
        assertThat(audit.chain(1000)).isEqualTo(2);
        assertThat(audit.chain(1000)).isZero();
        append(2, Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(audit.chain(1000)).isEqualTo(2);

        ChainVerification verified = audit.verify();
        assertThat(verified.intact()).as(verified.reason()).isTrue();
        assertThat(verified.checked()).isEqualTo(7);
        assertThat(verified.lastSeq()).isEqualTo(7);
        assertThat(verified.unchained()).isZero();
    }

    @Test
    void verifyingWhileAnotherReplicaChainsSeesTheChainAsOfOneMoment() throws Exception {
        // A chainer commits between verify's reads: read in two snapshots, the rows ended before the
        // head it then read, and an intact chain was reported broken.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger verified = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> chainerFailed =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread chainer = new Thread(() -> {
            try {
                while (!stop.get()) {
                    // A few rounds ahead of the verifier at most: it still commits while verify
                    // reads, and the chain stays short enough that each verify is quick.
                    if (rounds.get() > verified.get() + 5) {
                        java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                        continue;
                    }
                    append(3, Instant.parse("2026-11-25T10:00:00Z"));
                    audit.chain(1000);
                    rounds.incrementAndGet();
                }
            } catch (Throwable e) {
                chainerFailed.set(e);
            }
        });
        chainer.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        try {
            while ((verified.get() < 100 || rounds.get() < 100) && chainerFailed.get() == null) {
                assertThat(System.nanoTime())
                        .as("100 rounds of each within a minute")
                        .isLessThan(deadline);
                ChainVerification verification = audit.verify();
                assertThat(verification.intact()).as(verification.reason()).isTrue();
                verified.incrementAndGet();
            }
        } finally {
            stop.set(true);
            chainer.join();
        }
        assertThat(chainerFailed.get()).as("the chainer's failure").isNull();
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aChangedRowBreaksTheChainThere() throws SQLException {
        chained(5);
        sql("UPDATE platform.audit_events SET outcome = 'allowed', status = 200 WHERE seq = 3");
        ChainVerification verified = audit.verify();
        assertThat(verified.intact()).isFalse();
        assertThat(verified.brokenAt()).isEqualTo(3);
        assertThat(verified.reason()).contains("changed");
    }

    @Test
    void aDeletedRowBreaksTheChainThere() throws SQLException {
        chained(5);
        sql("DELETE FROM platform.audit_events WHERE seq = 2");
        ChainVerification verified = audit.verify();
        assertThat(verified.intact()).isFalse();
        assertThat(verified.brokenAt()).isEqualTo(2);
        assertThat(verified.reason()).contains("missing");
    }

    @Test
    void deletingTheNewestRowsIsSeenToo() throws SQLException {
        chained(5);
        sql("DELETE FROM platform.audit_events WHERE seq >= 4");
        ChainVerification verified = audit.verify();
        assertThat(verified.intact()).isFalse();
        assertThat(verified.brokenAt()).isEqualTo(4);
        // and the chain goes on from where it was written through, not from the forged end
        append(1, Instant.parse("2026-11-25T10:00:00Z"));
        audit.chain(1000);
        assertThat(audit.verify().intact()).isFalse();
    }

    @Test
    void retentionDropsTheOldestRowsAndTheRestStillVerifies() {
        append(3, Instant.parse("2026-01-01T00:00:00Z"));
        append(2, Instant.parse("2026-11-25T08:00:00Z"));
        audit.chain(1000);
        assertThat(audit.dropOlderThan(Instant.parse("2026-06-01T00:00:00Z"))).isEqualTo(3);
        ChainVerification verified = audit.verify();
        assertThat(verified.intact()).as(verified.reason()).isTrue();
        assertThat(verified.checked()).isEqualTo(2);
        assertThat(verified.lastSeq()).isEqualTo(5);
    }

    private void chained(int events) {
        append(events, Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(audit.chain(1000)).isEqualTo(events);
        ChainVerification written = audit.verify();
        assertThat(written.intact()).as(written.reason()).isTrue();
    }

    private void append(int events, Instant from) {
        for (int i = 0; i < events; i++) {
            audit.append(new AuditEvent(
                    0,
                    from.plus(i, ChronoUnit.SECONDS),
                    i % 2 == 0 ? "alice@example.com" : null,
                    i % 2 == 0 ? "api_key:key_" + i : "none",
                    "203.0.113." + i,
                    "metadata-service",
                    "POST /api/v1/tables/{fullName}/commits",
                    "/api/v1/tables/main.sales.orders/commits",
                    "table",
                    "main.sales.orders",
                    "req-" + i,
                    i % 2 == 0 ? 201 : 401,
                    i % 2 == 0 ? "allowed" : "denied",
                    null));
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
