package io.deltaplane.support.idempotency;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Remembers, per caller and path, which idempotency keys were used and what they answered. A key in
 * progress is held under a token for a lease its process renews ({@link #renew}); once the lease
 * has run out — the process died — the next request with the key takes it over under a new token,
 * and learns what the first request had landed, if anything ({@code landed}, written by the
 * service's own commit).
 */
public class IdempotencyStore {

    /** What a request with an idempotency key should do. */
    public sealed interface Claim {
        /**
         * The key is this request's, under {@code token}: run the request, then {@link #complete} or
         * {@link #release}. {@code landed}: what a first request whose process died had already
         * landed under the key (taken over), else empty.
         */
        record Fresh(UUID token, Optional<String> landed) implements Claim {}

        /** The key was used with the same body: answer with the stored response. */
        record Replay(StoredResponse response) implements Claim {}

        /** The key was used with another body. */
        record Mismatch() implements Claim {}

        /** The first request with this key is still running (its lease is being renewed). */
        record InProgress() implements Claim {}
    }

    private static final String DELETE_EXPIRED =
            "DELETE FROM platform.idempotency_keys WHERE scope = :scope AND idem_key = :key AND created_at < :cutoff";
    private static final String CLAIM = """
            INSERT INTO platform.idempotency_keys (scope, idem_key, request_hash, created_at, token, lease_until)
            VALUES (:scope, :key, :hash, :now, :token, :leaseUntil)
            ON CONFLICT (scope, idem_key) DO NOTHING
            """;
    private static final String FIND = """
            SELECT request_hash, status, content_type, location, body, token, lease_until, created_at
              FROM platform.idempotency_keys WHERE scope = :scope AND idem_key = :key
            """;
    // Only while nobody answered and the holder's lease has run out; the token read with it
    // guards against a second request taking the key over at the same moment. A row an earlier
    // release claimed has no lease: its holder may still be running (and its commit is not fenced),
    // so it is taken over only once a lease's time has passed since it was claimed.
    private static final String TAKE_OVER = """
            UPDATE platform.idempotency_keys SET token = :token, lease_until = :leaseUntil
             WHERE scope = :scope AND idem_key = :key AND status IS NULL
               AND token IS NOT DISTINCT FROM :previous
               AND (lease_until < :now OR (lease_until IS NULL AND created_at < :claimedBefore))
            RETURNING landed::text
            """;
    // A key whose row a commit holds locked (its commit under way) is skipped: a takeover waits for
    // that lock anyway, and locking rows here in another order than a group commit does could deadlock.
    private static final String RENEW = """
            UPDATE platform.idempotency_keys SET lease_until = :leaseUntil
             WHERE ctid IN (SELECT ctid FROM platform.idempotency_keys
                            WHERE token = ANY(CAST(:tokens AS uuid[])) AND status IS NULL
                            FOR NO KEY UPDATE SKIP LOCKED)
            """;
    private static final String COMPLETE = """
            UPDATE platform.idempotency_keys
               SET status = :status, content_type = :contentType, location = :location, body = :body
             WHERE scope = :scope AND idem_key = :key AND token = :token
            """;
    // A key whose request landed a commit is kept (its retry is answered from what landed), its
    // lease ended at once so that retry need not wait.
    private static final String RELEASE = """
            DELETE FROM platform.idempotency_keys
             WHERE scope = :scope AND idem_key = :key AND token = :token AND status IS NULL AND landed IS NULL
            """;
    private static final String END_LEASE = """
            UPDATE platform.idempotency_keys SET lease_until = '-infinity'
             WHERE scope = :scope AND idem_key = :key AND token = :token AND status IS NULL
            """;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;
    private final Duration lease;

    public IdempotencyStore(JdbcClient jdbc, Clock clock, Duration retention, Duration lease) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
        this.retention = requireNonNull(retention, "retention");
        this.lease = requireNonNull(lease, "lease");
    }

    /** How long a claim holds without a renewal. */
    public Duration lease() {
        return lease;
    }

    public Claim claim(String scope, String key, byte[] requestHash) {
        Instant now = clock.instant();
        jdbc.sql(DELETE_EXPIRED)
                .param("scope", scope)
                .param("key", key)
                .param("cutoff", Timestamp.from(now.minus(retention)))
                .update();
        UUID token = UUID.randomUUID();
        int inserted = jdbc.sql(CLAIM)
                .param("scope", scope)
                .param("key", key)
                .param("hash", requestHash)
                .param("now", Timestamp.from(now))
                .param("token", token)
                .param("leaseUntil", Timestamp.from(now.plus(lease)))
                .update();
        if (inserted == 1) {
            return new Claim.Fresh(token, Optional.empty());
        }
        Optional<Held> existing = jdbc.sql(FIND)
                .param("scope", scope)
                .param("key", key)
                .query((rs, row) -> held(rs, requestHash))
                .optional();
        // Gone between the insert and the read (released by a failed first request): treat as in progress.
        if (existing.isEmpty()) {
            return new Claim.InProgress();
        }
        Held held = existing.get();
        if (!(held.claim() instanceof Claim.InProgress) || !held.leaseOver(now, lease)) {
            return held.claim();
        }
        return jdbc.sql(TAKE_OVER)
                .param("scope", scope)
                .param("key", key)
                .param("token", token)
                .param("leaseUntil", Timestamp.from(now.plus(lease)))
                .param("previous", held.token(), Types.OTHER)
                .param("now", Timestamp.from(now))
                .param("claimedBefore", Timestamp.from(now.minus(lease)))
                .query((rs, row) -> (Claim) new Claim.Fresh(token, Optional.ofNullable(rs.getString(1))))
                .optional()
                .orElseGet(Claim.InProgress::new);
    }

    /** A key's row as read: what it says to do, and who holds it until when. */
    private record Held(Claim claim, UUID token, Instant leaseUntil, Instant createdAt) {
        /** Whether its holder's lease ran out; a row an earlier release claimed: a lease after its claim. */
        boolean leaseOver(Instant now, Duration lease) {
            return leaseUntil != null
                    ? leaseUntil.isBefore(now)
                    : createdAt.plus(lease).isBefore(now);
        }
    }

    private static Held held(ResultSet rs, byte[] requestHash) throws SQLException {
        // -infinity (a lease ended at once) reads as a time long past
        Timestamp until = rs.getTimestamp("lease_until");
        return new Held(
                claimOf(rs, requestHash),
                rs.getObject("token", UUID.class),
                until == null ? null : until.toInstant(),
                rs.getTimestamp("created_at").toInstant());
    }

    private static Claim claimOf(ResultSet rs, byte[] requestHash) throws SQLException {
        if (!Arrays.equals(rs.getBytes("request_hash"), requestHash)) {
            return new Claim.Mismatch();
        }
        int status = rs.getInt("status");
        if (rs.wasNull()) {
            return new Claim.InProgress();
        }
        return new Claim.Replay(new StoredResponse(
                status, rs.getString("content_type"), rs.getString("location"), rs.getBytes("body")));
    }

    /** Extends the leases of the claims under {@code tokens} (this process's requests still running). */
    public void renew(Collection<UUID> tokens) {
        if (tokens.isEmpty()) {
            return;
        }
        jdbc.sql(RENEW)
                .param(
                        "tokens",
                        "{"
                                + String.join(
                                        ",", tokens.stream().map(UUID::toString).toList()) + "}")
                .param("leaseUntil", Timestamp.from(clock.instant().plus(lease)))
                .update();
    }

    /** Stores the answer of the request holding the key under {@code token}; false if it holds it no longer. */
    public boolean complete(String scope, String key, UUID token, StoredResponse response) {
        return jdbc.sql(COMPLETE)
                        .param("scope", scope)
                        .param("key", key)
                        .param("token", token)
                        .param("status", response.status())
                        .param("contentType", response.contentType())
                        .param("location", response.location())
                        .param("body", response.body())
                        .update()
                == 1;
    }

    /**
     * Forgets a key whose first request failed on our side, so the client's retry runs again — unless
     * that request landed a commit first: the key is kept and its lease ended, so the retry is answered
     * from what landed.
     */
    public void release(String scope, String key, UUID token) {
        int deleted = jdbc.sql(RELEASE)
                .param("scope", scope)
                .param("key", key)
                .param("token", token)
                .update();
        if (deleted == 0) {
            jdbc.sql(END_LEASE)
                    .param("scope", scope)
                    .param("key", key)
                    .param("token", token)
                    .update();
        }
    }
}
