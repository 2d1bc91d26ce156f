package io.deltaplane.support.audit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code platform.audit_events}: its one writer. Requests append rows ({@link #append}); {@link
 * #chain} links them, one chainer at a time across every replica of every service (a transaction
 * advisory lock), each row's hash covering the previous row's hash and its own content; {@link
 * #verify} walks the chain; {@link #dropOlderThan} moves the chain's start forward for retention.
 */
public class AuditLog {

    /** Any constant of our own: the chainer's advisory lock. */
    static final long CHAIN_LOCK = 0x6470_6175_6469_74L;

    static final String INSERT = """
            INSERT INTO platform.audit_events (at, principal, authentication, source_address, service, action, path,
              securable_type, securable_name, request_id, status, outcome)
            VALUES (:at, :principal, :authentication, :source, :service, :action, :path, :stype, :sname, :requestId,
              :status, :outcome)""";
    static final String COLUMNS = "id, at, principal, authentication, source_address, service, action, path,"
            + " securable_type, securable_name, request_id, status, outcome, seq";
    static final String LOCK = "SELECT pg_try_advisory_xact_lock(" + CHAIN_LOCK + ")";
    static final String ANCHOR = "SELECT next_seq, prev_hash FROM platform.audit_anchor";
    static final String HEAD = "SELECT head_seq, head_hash FROM platform.audit_anchor";
    static final String MOVE_HEAD = "UPDATE platform.audit_anchor SET head_seq = :seq, head_hash = :hash";
    static final String UNCHAINED =
            "SELECT " + COLUMNS + " FROM platform.audit_events WHERE seq IS NULL ORDER BY id LIMIT :limit";
    static final String SET_LINK = "UPDATE platform.audit_events SET seq = :seq, hash = :hash WHERE id = :id";
    static final String CHAINED =
            "SELECT " + COLUMNS + ", hash FROM platform.audit_events WHERE seq IS NOT NULL ORDER BY seq";
    static final String COUNT_UNCHAINED = "SELECT count(*) FROM platform.audit_events WHERE seq IS NULL";
    static final String LIST = "SELECT " + COLUMNS + " FROM platform.audit_events"
            + " WHERE id < :before"
            + " AND (CAST(:principal AS text) IS NULL OR principal = :principal)"
            + " AND (CAST(:securable AS text) IS NULL OR securable_name = :securable"
            + "      OR starts_with(securable_name, CAST(:securable AS text) || '.'))"
            + " AND (CAST(:action AS text) IS NULL OR action = :action)"
            + " AND (CAST(:since AS timestamptz) IS NULL OR at >= :since)"
            + " AND (CAST(:until AS timestamptz) IS NULL OR at < :until)"
            + " ORDER BY id DESC LIMIT :limit";
    static final String LAST_EXPIRED =
            "SELECT seq, hash FROM platform.audit_events WHERE seq IS NOT NULL AND at < :cutoff ORDER BY seq DESC LIMIT 1";
    static final String DROP_THROUGH = "DELETE FROM platform.audit_events WHERE seq IS NOT NULL AND seq <= :seq";
    static final String MOVE_ANCHOR = "UPDATE platform.audit_anchor SET next_seq = :next, prev_hash = :hash";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    /** One snapshot for all of verify's reads: a chainer committing between them is not a break. */
    private final TransactionTemplate snapshot;

    public AuditLog(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.transactions = requireNonNull(transactions, "transactions");
        this.snapshot = new TransactionTemplate(requireNonNull(transactions.getTransactionManager()), transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
    }

    /** Records one event (its id, at and seq are assigned here and by the chain). */
    public void append(AuditEvent event) {
        jdbc.sql(INSERT)
                .param("at", Timestamp.from(event.at().truncatedTo(ChronoUnit.MICROS)))
                .param("principal", event.principal(), Types.VARCHAR)
                .param("authentication", event.authentication())
                .param("source", event.sourceAddress())
                .param("service", event.service())
                .param("action", event.action())
                .param("path", event.path())
                .param("stype", event.securableType(), Types.VARCHAR)
                .param("sname", event.securableName(), Types.VARCHAR)
                .param("requestId", event.requestId(), Types.VARCHAR)
                .param("status", event.status())
                .param("outcome", event.outcome())
                .update();
    }

    /** A page of events, newest first, with ids below {@code beforeId} (Long.MAX_VALUE for the first). */
    public List<AuditEvent> list(AuditQuery query, long beforeId, int limit) {
        return jdbc.sql(LIST)
                .param("before", beforeId)
                .param("principal", query.principal(), Types.VARCHAR)
                .param("securable", query.securable(), Types.VARCHAR)
                .param("action", query.action(), Types.VARCHAR)
                .param(
                        "since",
                        query.since() == null ? null : query.since().atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE)
                .param(
                        "until",
                        query.until() == null ? null : query.until().atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE)
                .param("limit", limit)
                .query(AuditLog::event)
                .list();
    }

    /**
     * Chains up to {@code limit} unchained rows, oldest first; the number chained (0 when another
     * chainer holds the lock or nothing waits).
     */
    public int chain(int limit) {
        Integer chained = transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.sql(LOCK).query(Boolean.class).single())) {
                return 0;
            }
            Link last = jdbc.sql(HEAD)
                    .query((rs, n) -> new Link(rs.getLong(1), rs.getBytes(2)))
                    .single();
            List<AuditEvent> waiting = jdbc.sql(UNCHAINED)
                    .param("limit", limit)
                    .query(AuditLog::event)
                    .list();
            for (AuditEvent event : waiting) {
                long seq = last.seq() + 1;
                byte[] hash = hash(last.hash(), event, seq);
                jdbc.sql(SET_LINK)
                        .param("seq", seq)
                        .param("hash", hash)
                        .param("id", event.id())
                        .update();
                last = new Link(seq, hash);
            }
            if (!waiting.isEmpty()) {
                jdbc.sql(MOVE_HEAD)
                        .param("seq", last.seq())
                        .param("hash", last.hash())
                        .update();
            }
            return waiting.size();
        });
        return chained == null ? 0 : chained;
    }

    /** Walks the whole chain from its anchor, recomputing every hash, as of one moment. */
    public ChainVerification verify() {
        return snapshot.execute(status -> {
            Link anchor = anchor();
            long unchained = jdbc.sql(COUNT_UNCHAINED).query(Long.class).single();
            Walk walk = new Walk(anchor);
            // called once per row, in seq order; rows after a break are not looked at
            jdbc.sql(CHAINED).query((ResultSet rs) -> {
                if (walk.broken == null) {
                    walk.step(event(rs, 0), rs.getBytes("hash"));
                }
            });
            Link head = jdbc.sql(HEAD)
                    .query((rs, n) -> new Link(rs.getLong(1), rs.getBytes(2)))
                    .single();
            if (walk.broken == null && walk.last.seq() != head.seq()) {
                walk.broken = walk.last.seq() + 1;
                walk.reason = "the chain ends at seq " + walk.last.seq() + " but was written through seq " + head.seq();
            }
            return walk.broken == null
                    ? new ChainVerification(true, walk.checked, walk.last.seq(), unchained, null, null)
                    : new ChainVerification(false, walk.checked, walk.last.seq(), unchained, walk.broken, walk.reason);
        });
    }

    /**
     * Drops chained rows older than {@code cutoff} and moves the chain's anchor past them, so
     * {@link #verify} starts where the retained rows do; the number dropped.
     */
    public int dropOlderThan(Instant cutoff) {
        Integer dropped = transactions.execute(status -> {
            if (!Boolean.TRUE.equals(jdbc.sql(LOCK).query(Boolean.class).single())) {
                return 0;
            }
            return jdbc.sql(LAST_EXPIRED)
                    .param("cutoff", Timestamp.from(cutoff))
                    .query((rs, n) -> new Link(rs.getLong(1), rs.getBytes(2)))
                    .optional()
                    .map(last -> {
                        int rows =
                                jdbc.sql(DROP_THROUGH).param("seq", last.seq()).update();
                        jdbc.sql(MOVE_ANCHOR)
                                .param("next", last.seq() + 1)
                                .param("hash", last.hash())
                                .update();
                        return rows;
                    })
                    .orElse(0);
        });
        return dropped == null ? 0 : dropped;
    }

    private Link anchor() {
        return jdbc.sql(ANCHOR)
                .query((rs, n) -> new Link(rs.getLong(1) - 1, rs.getBytes(2)))
                .single();
    }

    /** sha256(previous hash, then each field of the row and its seq, length-prefixed). */
    static byte[] hash(byte[] previous, AuditEvent event, long seq) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(previous);
        for (Object field : Arrays.asList(
                seq,
                ChronoUnit.MICROS.between(Instant.EPOCH, event.at()),
                event.principal(),
                event.authentication(),
                event.sourceAddress(),
                event.service(),
                event.action(),
                event.path(),
                event.securableType(),
                event.securableName(),
                event.requestId(),
                event.status(),
                event.outcome())) {
            byte[] bytes = field == null ? new byte[0] : field.toString().getBytes(StandardCharsets.UTF_8);
            sha.update((byte) (field == null ? 0 : 1));
            sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
            sha.update(bytes);
        }
        return sha.digest();
    }

    static AuditEvent event(ResultSet rs, int row) throws SQLException {
        long seq = rs.getLong("seq");
        Long chainedAt = rs.wasNull() ? null : seq;
        return new AuditEvent(
                rs.getLong("id"),
                rs.getTimestamp("at").toInstant(),
                rs.getString("principal"),
                rs.getString("authentication"),
                rs.getString("source_address"),
                rs.getString("service"),
                rs.getString("action"),
                rs.getString("path"),
                rs.getString("securable_type"),
                rs.getString("securable_name"),
                rs.getString("request_id"),
                rs.getInt("status"),
                rs.getString("outcome"),
                chainedAt);
    }

    private record Link(long seq, byte[] hash) {}

    /** The chain walked so far: where it is, and where it broke. */
    private static final class Walk {
        Link last;
        long checked;
        Long broken;
        String reason;

        Walk(Link anchor) {
            this.last = anchor;
        }

        void step(AuditEvent event, byte[] stored) {
            long expected = last.seq() + 1;
            if (event.seq() != expected) {
                broken = expected;
                reason = "row with seq " + expected + " is missing (next found: " + event.seq() + ")";
                return;
            }
            byte[] computed = hash(last.hash(), event, event.seq());
            if (!MessageDigest.isEqual(computed, stored)) {
                broken = event.seq();
                reason = "row with seq " + event.seq() + " (id " + event.id() + ") was changed";
                return;
            }
            checked++;
            last = new Link(event.seq(), stored);
        }
    }
}
