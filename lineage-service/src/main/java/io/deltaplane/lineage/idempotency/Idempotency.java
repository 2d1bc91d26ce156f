package io.deltaplane.lineage.idempotency;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} for creating POSTs: the key is claimed in the same transaction as the
 * work, so a repeat (even a concurrent one, which waits on the claim) gets the first response, and a
 * failed attempt leaves no claim behind.
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";

    static final String CLAIM = "INSERT INTO idempotency_keys (key, request_hash, created_at)"
            + " VALUES (:key, :hash, :now) ON CONFLICT (key) DO NOTHING";
    static final String FIND =
            "SELECT request_hash, status, response::text AS response FROM idempotency_keys WHERE key = :key";
    static final String STORE =
            "UPDATE idempotency_keys SET status = :status, response = CAST(:response AS jsonb) WHERE key = :key";
    static final String EXPIRE = "DELETE FROM idempotency_keys WHERE created_at < :before";

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Clock clock;

    public Idempotency(JdbcClient jdbc, TransactionTemplate tx, JsonMapper json, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.tx = requireNonNull(tx, "tx");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Runs {@code action} once per key: without a key it simply runs; with one, a repeat of the
     * same request returns the stored first response and another request under the key is a 409.
     */
    public ResponseEntity<Object> once(
            String key, String operation, Object request, Supplier<ResponseEntity<?>> action) {
        if (key == null) {
            return cast(action.get());
        }
        if (!VALID_KEY.matcher(key).matches()) {
            throw ApiException.badRequest(
                    ErrorCodes.BAD_REQUEST, "Idempotency-Key must be 1 to 255 printable ASCII characters.");
        }
        String hash = hash(operation, request);
        return tx.execute(status -> {
            int claimed = jdbc.sql(CLAIM)
                    .param("key", key)
                    .param("hash", hash)
                    .param("now", java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                    .update();
            if (claimed == 1) {
                ResponseEntity<?> response = action.get();
                jdbc.sql(STORE)
                        .param("key", key)
                        .param("status", response.getStatusCode().value())
                        .param("response", json.writeValueAsString(response.getBody()))
                        .update();
                return cast(response);
            }
            return replay(key, hash);
        });
    }

    private ResponseEntity<Object> replay(String key, String hash) {
        Optional<Stored> stored = jdbc.sql(FIND)
                .param("key", key)
                .query((rs, n) -> new Stored(
                        rs.getString("request_hash"), (Integer) rs.getObject("status"), rs.getString("response")))
                .optional();
        if (stored.isEmpty()
                || !stored.get().hash().equals(hash)
                || stored.get().status() == null) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    ErrorCodes.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used for a different request.");
        }
        JsonNode body = json.readTree(stored.get().response());
        return ResponseEntity.status(stored.get().status()).body(body);
    }

    /** Forgets keys older than {@code before}; called by the housekeeping sweep. */
    public int expire(Instant before) {
        return jdbc.sql(EXPIRE)
                .param("before", java.time.OffsetDateTime.ofInstant(before, java.time.ZoneOffset.UTC))
                .update();
    }

    private String hash(String operation, Object request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(operation.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            digest.update(json.writeValueAsBytes(request));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static ResponseEntity<Object> cast(ResponseEntity<?> response) {
        return (ResponseEntity<Object>) response;
    }

    private record Stored(String hash, Integer status, String response) {}
}
