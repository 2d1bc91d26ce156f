package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.backoff.Backoff;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * The relay side of a transactional outbox table ({@code lineage_outbox}, {@code
 * maintenance_run_outbox}): both have {@code id}, {@code attempts}, {@code next_attempt_at} and
 * {@code last_error}, and are relayed the same way. A claim is a lease, not a lock: the due rows'
 * next attempt moves past the delivery in one short statement ({@code FOR UPDATE SKIP LOCKED}, so
 * several replicas share the work), and no transaction stays open while lineage is called; a relay
 * that dies mid-delivery leaves its rows due again when the lease ends (lineage is idempotent). A
 * delivered row is deleted; a failed one backs off exponentially, with jitter so that replicas and
 * rows do not retry in lockstep.
 *
 * @param <R> a claimed row, as {@code rows} maps the {@code returning} columns
 */
final class RelayOutbox<R> {

    /**
     * Claims due rows in the due index's order, updated by id: taken in id order and joined by IN,
     * the cached generic plan walked the whole outbox to find them (LineageClaimLookupTest).
     */
    static String claimDue(String table, String returning) {
        return "UPDATE " + table + " o SET next_attempt_at = :leaseUntil"
                + " WHERE o.id = ANY (ARRAY(SELECT id FROM " + table + " WHERE next_attempt_at <= :now"
                + " ORDER BY next_attempt_at, id LIMIT :limit FOR UPDATE SKIP LOCKED))"
                + " RETURNING " + returning;
    }

    static String delivered(String table) {
        return "DELETE FROM " + table + " WHERE id = ANY(:ids)";
    }

    static String retryLater(String table) {
        return "UPDATE " + table + " SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error"
                + " WHERE id = ANY(:ids)";
    }

    /** Rows that back off together: same attempts so far, so the same next attempt. */
    record Retry<R>(List<R> rows, int attempt, Instant next) {}

    /** Told of a row that was not delivered: its next attempt, and why this one failed. */
    @FunctionalInterface
    interface Retrying<R> {
        void retrying(R row, Retry<R> retry, String error);
    }

    private final JdbcClient jdbc;
    private final String claimDue;
    private final String delivered;
    private final String retryLater;
    private final RowMapper<R> rows;
    private final ToLongFunction<R> id;
    private final ToIntFunction<R> attempts;
    private final LineageRelayProperties properties;
    private final Clock clock;

    RelayOutbox(
            JdbcClient jdbc,
            String table,
            String returning,
            RowMapper<R> rows,
            ToLongFunction<R> id,
            ToIntFunction<R> attempts,
            LineageRelayProperties properties,
            Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.claimDue = claimDue(table, returning);
        this.delivered = delivered(table);
        this.retryLater = retryLater(table);
        this.rows = requireNonNull(rows, "rows");
        this.id = requireNonNull(id, "id");
        this.attempts = requireNonNull(attempts, "attempts");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Leases up to {@code limit} due rows, in the order they were written (RETURNING has none). */
    List<R> claim(int limit) {
        Instant now = clock.instant();
        List<R> due = new ArrayList<>(jdbc.sql(claimDue)
                .param("now", utc(now))
                // the request's timeout, with margin
                .param("leaseUntil", utc(now.plus(properties.requestTimeout().multipliedBy(3))))
                .param("limit", limit)
                .query(rows)
                .list());
        due.sort(Comparator.comparingLong(id));
        return due;
    }

    void delete(Collection<R> delivered) {
        if (!delivered.isEmpty()) {
            jdbc.sql(this.delivered)
                    .param(
                            "ids",
                            new SqlArrayValue(
                                    "bigint",
                                    delivered.stream().map(id::applyAsLong).toArray()))
                    .update();
        }
    }

    /** Backs the rows off, one statement per attempt count (a failed batch's rows share one mostly). */
    List<Retry<R>> retryLater(List<R> failed, String error) {
        Map<Integer, List<R>> byAttempts = new TreeMap<>();
        for (R row : failed) {
            byAttempts
                    .computeIfAbsent(attempts.applyAsInt(row), a -> new ArrayList<>())
                    .add(row);
        }
        List<Retry<R>> retries = new ArrayList<>(byAttempts.size());
        byAttempts.forEach((tried, group) -> {
            Instant next = clock.instant().plus(backoff(tried + 1));
            jdbc.sql(retryLater)
                    .param(
                            "ids",
                            new SqlArrayValue(
                                    "bigint",
                                    group.stream().map(id::applyAsLong).toArray()))
                    .param("next", utc(next))
                    .param("error", error, Types.VARCHAR)
                    .update();
            retries.add(new Retry<>(group, tried + 1, next));
        });
        return retries;
    }

    /**
     * One round of a relay that delivers its rows one at a time, in order: claims up to {@code
     * limit}, deletes each that {@code deliver} got through (it answers null) and backs off each
     * that it did not (it answers why, which {@code retrying} is told); a row that found lineage
     * unreachable ends the round, the rest staying due. Answers how many were delivered.
     */
    int deliverEach(int limit, Function<R, String> deliver, Retrying<R> retrying) {
        int delivered = 0;
        for (R row : claim(limit)) {
            String error = deliver.apply(row);
            if (error == null) {
                delete(List.of(row));
                delivered++;
                continue;
            }
            for (Retry<R> retry : retryLater(List.of(row), error)) {
                retrying.retrying(row, retry, error);
            }
            if (error.startsWith("unreachable")) {
                break; // lineage is down: the rest stay due for a later round
            }
        }
        return delivered;
    }

    /** The wait before attempt {@code attempt + 1}: exponential, ±20% jitter. */
    Duration backoff(int attempt) {
        return new Backoff(properties.initialBackoff(), properties.maxBackoff(), 0.2).delay(attempt);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
