package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * {@code health_deliveries}, an outbox: the evaluator adds a row per webhook in the transaction
 * that opens or resolves an incident; the sender claims due rows with a lease, deletes each once
 * its receiver answered 2xx, and otherwise sets its next attempt. A crash between the answer and the
 * delete sends it again (the receiver sees the same {@code X-Deltaplane-Delivery}); nothing is lost.
 */
@Repository
class DeliveryOutbox {

    static final String ENQUEUE = "INSERT INTO health_deliveries (id, webhook_id, incident_id, event, payload,"
            + " next_attempt_at, created_at) VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?)"
            + " ON CONFLICT (webhook_id, incident_id, event) DO NOTHING";

    /** Due rows, leased until {@code :lease}: another sender skips them meanwhile. */
    static final String CLAIM = """
            UPDATE health_deliveries d SET next_attempt_at = :lease, attempts = d.attempts + 1
            WHERE d.id IN (SELECT id FROM health_deliveries WHERE next_attempt_at <= :now
                           ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
            RETURNING d.id, d.webhook_id, d.event, d.payload::text, d.attempts""";

    /**
     * A claimed row leased again right before its send, only if no other sender claimed it since
     * ({@code attempts}, raised by every claim, is the claim's fencing token): a delivery is sent at
     * most once per lease, however long the batch before it took.
     */
    static final String KEEP = "UPDATE health_deliveries SET next_attempt_at = ? WHERE id = ? AND attempts = ?";

    static final String DELIVERED = "DELETE FROM health_deliveries WHERE id = ?";
    static final String RETRY = "UPDATE health_deliveries SET next_attempt_at = ?, last_error = ? WHERE id = ?";
    static final String PENDING = "SELECT count(*) FROM health_deliveries";

    /** A claimed delivery. */
    record Claimed(UUID id, UUID webhookId, String event, String payload, int attempts) {}

    private final JdbcClient jdbc;

    DeliveryOutbox(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void enqueue(UUID webhookId, UUID incidentId, String event, String payload, Instant now) {
        jdbc.sql(ENQUEUE)
                .params(
                        UUID.randomUUID(),
                        webhookId,
                        incidentId,
                        event,
                        payload,
                        Timestamp.from(now),
                        Timestamp.from(now))
                .update();
    }

    List<Claimed> claim(Instant now, Instant lease, int limit) {
        return jdbc.sql(CLAIM)
                .param("now", Timestamp.from(now))
                .param("lease", Timestamp.from(lease))
                .param("limit", limit)
                .query((rs, n) -> new Claimed(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5)))
                .list();
    }

    /** Leases {@code claimed} until {@code lease} if it is still this sender's; false if another sender claimed it. */
    boolean keep(Claimed claimed, Instant lease) {
        return jdbc.sql(KEEP)
                        .params(Timestamp.from(lease), claimed.id(), claimed.attempts())
                        .update()
                == 1;
    }

    void delivered(UUID id) {
        jdbc.sql(DELIVERED).param(id).update();
    }

    void retryAt(UUID id, Instant next, String error) {
        jdbc.sql(RETRY).params(Timestamp.from(next), error, id).update();
    }

    long pending() {
        return jdbc.sql(PENDING).query(Long.class).single();
    }
}
