package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.health.DeliveryOutbox.Claimed;
import io.deltaplane.support.backoff.Backoff;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ClusterJobLifecycle;
import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Sends the queued incident events to their webhooks: claims the due ones ({@link DeliveryOutbox},
 * with a lease), POSTs each, deletes it on a 2xx and otherwise tries again after a back-off (10 s
 * doubling to an hour), for as long as it takes. Each request carries {@code X-Deltaplane-Event},
 * {@code X-Deltaplane-Delivery} (the same on every attempt: a receiver drops what it has seen) and,
 * with a signing secret, {@code X-Deltaplane-Signature: sha256=<hex HMAC-SHA256 of
 * "<X-Deltaplane-Timestamp>.<body>">}. No redirect is followed; no secret or secret URL is logged.
 */
@Component
public class WebhookSender extends ClusterJobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    static final Backoff RETRY = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1), 0.2);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int BATCH = 20;

    private final DeliveryOutbox outbox;
    private final WebhookSubscriptions webhooks;
    private final WebhookTargets targets;
    private final Clock clock;
    private final HealthProperties properties;
    private final HttpClient http;
    private final BackgroundLoop loop;

    public WebhookSender(
            DeliveryOutbox outbox,
            WebhookSubscriptions webhooks,
            WebhookTargets targets,
            Clock clock,
            HealthProperties properties,
            ObjectProvider<MeterRegistry> registry,
            ProcessRole role) {
        super(role);
        this.outbox = requireNonNull(outbox, "outbox");
        this.webhooks = requireNonNull(webhooks, "webhooks");
        this.targets = requireNonNull(targets, "targets");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.loop = BackgroundLoop.named("health-webhooks")
                .task(this::deliverDue)
                .every(Duration.ofSeconds(5))
                .metrics(registry.getIfAvailable())
                .build();
    }

    /** Sends what is due now; how many were delivered. */
    public int deliverDue() {
        int delivered = 0;
        List<Claimed> claimed;
        do {
            Instant now = clock.instant();
            claimed = outbox.claim(now, now.plus(LEASE), BATCH);
            for (Claimed delivery : claimed) {
                // a slow batch can outlive its lease: send only what no other replica claimed since
                if (outbox.keep(delivery, clock.instant().plus(LEASE))) {
                    delivered += send(delivery) ? 1 : 0;
                }
            }
        } while (claimed.size() == BATCH);
        return delivered;
    }

    /** Wakes the sender: something was queued. */
    void wake() {
        loop.wake();
    }

    private boolean send(Claimed delivery) {
        Optional<HealthWebhook> webhook = webhooks.get(delivery.webhookId());
        if (webhook.isEmpty()) {
            outbox.delivered(delivery.id()); // its webhook is gone (the row cascades too)
            return false;
        }
        String error;
        try {
            URI target = targets.target(webhook.get());
            String timestamp = Long.toString(clock.instant().getEpochSecond());
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Deltaplane")
                    .header("X-Deltaplane-Event", delivery.event())
                    .header("X-Deltaplane-Delivery", delivery.id().toString())
                    .header("X-Deltaplane-Timestamp", timestamp)
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload(), StandardCharsets.UTF_8));
            Optional<byte[]> key = targets.signingKey(webhook.get());
            if (key.isPresent()) {
                request.header("X-Deltaplane-Signature", "sha256=" + sign(key.get(), timestamp, delivery.payload()));
            }
            int status = http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status / 100 == 2) {
                outbox.delivered(delivery.id());
                return true;
            }
            error = "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            // the class only: a message may carry the URL, which can be a secret
            error = targets.redact(
                    e.getClass().getSimpleName() + (e instanceof IllegalStateException ? ": " + e.getMessage() : ""));
        }
        Instant next = clock.instant().plus(RETRY.delay(delivery.attempts()));
        outbox.retryAt(delivery.id(), next, error);
        log.warn(
                "webhook {}: delivery {} ({}) failed, attempt {}: {}; next at {}",
                webhook.get().name(),
                delivery.id(),
                delivery.event(),
                delivery.attempts(),
                error,
                next);
        return false;
    }

    /** Hex HMAC-SHA256 of {@code "<timestamp>.<body>"}: what a receiver recomputes to trust a delivery. */
    static String sign(byte[] key, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    protected BackgroundLoop loop() {
        return loop;
    }

    @Override
    protected boolean enabled() {
        return properties.enabled();
    }
}
