package io.deltaplane.support.idempotency;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Remembers, per caller and path, which idempotency keys were used and what they answered. */
public class IdempotencyStore {

    /** What a request with an idempotency key should do. */
    public sealed interface Claim {
        /** First use of the key: run the request, then {@link #complete} or {@link #release}. */
        record Fresh() implements Claim {}

        /** The key was used with the same body: answer with the stored response. */
        record Replay(StoredResponse response) implements Claim {}

        /** The key was used with another body. */
        record Mismatch() implements Claim {}

        /** The first request with this key is still running. */
        record InProgress() implements Claim {}
    }

    private static final String DELETE_EXPIRED =
            "DELETE FROM platform.idempotency_keys WHERE scope = :scope AND idem_key = :key AND created_at < :cutoff";
    private static final String CLAIM = """
            INSERT INTO platform.idempotency_keys (scope, idem_key, request_hash, created_at)
            VALUES (:scope, :key, :hash, :now)
            ON CONFLICT (scope, idem_key) DO NOTHING
            """;
    private static final String FIND = """
            SELECT request_hash, status, content_type, location, body
              FROM platform.idempotency_keys WHERE scope = :scope AND idem_key = :key
            """;
    private static final String COMPLETE = """
            UPDATE platform.idempotency_keys
               SET status = :status, content_type = :contentType, location = :location, body = :body
             WHERE scope = :scope AND idem_key = :key
            """;
    private static final String RELEASE =
            "DELETE FROM platform.idempotency_keys WHERE scope = :scope AND idem_key = :key AND status IS NULL";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration retention;

    public IdempotencyStore(JdbcClient jdbc, Clock clock, Duration retention) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
        this.retention = requireNonNull(retention, "retention");
    }

    public Claim claim(String scope, String key, byte[] requestHash) {
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.sql(DELETE_EXPIRED)
                .param("scope", scope)
                .param("key", key)
                .param("cutoff", Timestamp.from(clock.instant().minus(retention)))
                .update();
        int inserted = jdbc.sql(CLAIM)
                .param("scope", scope)
                .param("key", key)
                .param("hash", requestHash)
                .param("now", now)
                .update();
        if (inserted == 1) {
            return new Claim.Fresh();
        }
        Optional<Claim> existing = jdbc.sql(FIND)
                .param("scope", scope)
                .param("key", key)
                .query((rs, row) -> claimOf(rs, requestHash))
                .optional();
        // Gone between the insert and the read (released by a failed first request): treat as in progress.
        return existing.orElse(new Claim.InProgress());
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

    public void complete(String scope, String key, StoredResponse response) {
        jdbc.sql(COMPLETE)
                .param("scope", scope)
                .param("key", key)
                .param("status", response.status())
                .param("contentType", response.contentType())
                .param("location", response.location())
                .param("body", response.body())
                .update();
    }

    /** Forgets a key whose first request failed on our side, so the client's retry runs again. */
    public void release(String scope, String key) {
        jdbc.sql(RELEASE).param("scope", scope).param("key", key).update();
    }
}
