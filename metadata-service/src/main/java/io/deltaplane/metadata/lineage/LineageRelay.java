package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.request.RequestIds;
import java.net.http.HttpClient;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Delivers outbox rows to lineage-service as {@code POST /api/v1/tables/{full_name}/snapshots}, at
 * least once: rows are claimed with {@code FOR UPDATE SKIP LOCKED} (safe with several replicas),
 * deleted on a 2xx, and retried with exponential backoff otherwise. Lineage answers a repeat of a
 * (table, version) it already has with 200, so a lost acknowledgement costs one duplicate request.
 */
public class LineageRelay {

    private static final Logger log = LoggerFactory.getLogger(LineageRelay.class);

    static final String CLAIM_DUE = "SELECT id, full_name, location, version, committed_at, request_id, attempts"
            + " FROM lineage_outbox WHERE next_attempt_at <= :now ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED";
    static final String DELIVERED = "DELETE FROM lineage_outbox WHERE id = :id";
    static final String RETRY_LATER =
            "UPDATE lineage_outbox SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error"
                    + " WHERE id = :id";
    static final String SNAPSHOTS_PATH = "/api/v1/tables/{fullName}/snapshots";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final RestClient lineage;
    private final LineageRelayProperties properties;
    private final Clock clock;
    private final AtomicBoolean warnedNoKey = new AtomicBoolean();

    /** {@code restClients} is Spring's builder, so the request id interceptor comes along. */
    public LineageRelay(
            JdbcClient jdbc,
            TransactionTemplate tx,
            RestClient.Builder restClients,
            LineageRelayProperties properties,
            Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.tx = requireNonNull(tx, "tx");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .connectTimeout(properties.requestTimeout())
                .build());
        requests.setReadTimeout(properties.requestTimeout());
        this.lineage = requireNonNull(restClients, "restClients")
                .clone()
                .baseUrl(properties.baseUrl().toString())
                .requestFactory(requests)
                .build();
    }

    record Pending(
            long id,
            String fullName,
            String location,
            long version,
            OffsetDateTime committedAt,
            String requestId,
            int attempts) {}

    /** One round: delivers what is due (up to a batch); returns how many versions lineage acknowledged. */
    public int relayDue() {
        if (!properties.hasApiKey()) {
            if (warnedNoKey.compareAndSet(false, true)) {
                log.warn("deltaplane.lineage.api-key is not set (DELTAPLANE_SERVICE_API_KEY or"
                        + " DELTAPLANE_ADMIN_API_KEY): committed versions wait in the lineage outbox");
            }
            return 0;
        }
        Integer delivered = tx.execute(status -> {
            List<Pending> due = jdbc.sql(CLAIM_DUE)
                    .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                    .param("limit", properties.batchSize())
                    .query((rs, n) -> new Pending(
                            rs.getLong("id"),
                            rs.getString("full_name"),
                            rs.getString("location"),
                            rs.getLong("version"),
                            rs.getObject("committed_at", OffsetDateTime.class),
                            rs.getString("request_id"),
                            rs.getInt("attempts")))
                    .list();
            int acknowledged = 0;
            for (Pending row : due) {
                String error = deliver(row);
                if (error == null) {
                    jdbc.sql(DELIVERED).param("id", row.id()).update();
                    acknowledged++;
                } else {
                    Instant next = clock.instant().plus(backoff(row.attempts() + 1));
                    jdbc.sql(RETRY_LATER)
                            .param("id", row.id())
                            .param("next", OffsetDateTime.ofInstant(next, ZoneOffset.UTC))
                            .param("error", error, Types.VARCHAR)
                            .update();
                    log.warn(
                            "Lineage delivery of {} v{} failed (attempt {}), retrying at {}: {}",
                            row.fullName(),
                            row.version(),
                            row.attempts() + 1,
                            next,
                            error);
                    if (error.startsWith("unreachable")) {
                        break; // lineage is down: the rest stay due for the next round
                    }
                }
            }
            return acknowledged;
        });
        return delivered == null ? 0 : delivered;
    }

    /** Null when lineage acknowledged the version, else why not. */
    private String deliver(Pending row) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("uri", row.location());
        body.put("format", "delta");
        body.put("version", row.version());
        body.put("created_at", row.committedAt().toInstant().toString());
        // The commit's request id travels with the delivery (the RestClient interceptor reads the MDC).
        String previous = MDC.get(RequestIds.MDC_KEY);
        MDC.put(RequestIds.MDC_KEY, row.requestId() != null ? row.requestId() : RequestIds.generate());
        try {
            lineage.post()
                    .uri(SNAPSHOTS_PATH, row.fullName())
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiKey())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(body)
                    .retrieve()
                    .toBodilessEntity();
            return null;
        } catch (RestClientResponseException e) {
            return "HTTP " + e.getStatusCode().value() + " " + truncate(e.getResponseBodyAsString());
        } catch (ResourceAccessException e) {
            return "unreachable: " + e.getMessage();
        } finally {
            if (previous == null) {
                MDC.remove(RequestIds.MDC_KEY);
            } else {
                MDC.put(RequestIds.MDC_KEY, previous);
            }
        }
    }

    Duration backoff(int attempts) {
        long base = properties.initialBackoff().toMillis();
        long capped =
                Math.min(properties.maxBackoff().toMillis(), base * (1L << Math.min(20, Math.max(0, attempts - 1))));
        // ±20% jitter so replicas and tables do not retry in lockstep.
        long jitter = (long) (capped * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return Duration.ofMillis(Math.max(1, capped + jitter));
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
