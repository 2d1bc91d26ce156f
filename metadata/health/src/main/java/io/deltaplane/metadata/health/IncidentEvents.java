package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an incident's opening or resolution sends: {@code {"event", "incident", "text"}} for a
 * {@code json} webhook, {@code {"text"}} alone for a {@code slack} one (Slack's and Teams'
 * incoming webhooks take it). Queued, one per webhook that may see the table, in the transaction that
 * changed the incident ({@link DeliveryOutbox}).
 */
@Component
class IncidentEvents {

    static final String OPENED = "incident.opened";
    static final String RESOLVED = "incident.resolved";

    private final WebhookSubscriptions webhooks;
    private final DeliveryOutbox outbox;
    private final OwnerAccess access;
    private final JsonMapper json;

    IncidentEvents(WebhookSubscriptions webhooks, DeliveryOutbox outbox, OwnerAccess access, JsonMapper json) {
        this.webhooks = requireNonNull(webhooks, "webhooks");
        this.outbox = requireNonNull(outbox, "outbox");
        this.access = requireNonNull(access, "access");
        this.json = requireNonNull(json, "json");
    }

    /** Queues {@code event} of {@code incident} (of table {@code table}, catalog {@code catalog}); how many webhooks. */
    int queue(String event, Incident incident, String catalog, Instant now) {
        int queued = 0;
        for (HealthWebhook webhook : webhooks.all()) {
            if (webhook.catalogName() != null && !webhook.catalogName().equals(catalog)) {
                continue;
            }
            if (!access.maySelect(webhook.owner(), incident.table())) {
                continue;
            }
            outbox.enqueue(webhook.id(), incident.id(), event, payload(webhook.format(), event, incident), now);
            queued++;
        }
        return queued;
    }

    String payload(String format, String event, Incident incident) {
        String text = text(event, incident);
        if ("slack".equals(format)) {
            return json.writeValueAsString(Map.of("text", text));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("incident", incident);
        body.put("text", text);
        return json.writeValueAsString(body);
    }

    static String text(String event, Incident incident) {
        if (RESOLVED.equals(event)) {
            return "Resolved: " + incident.table() + " has fresh data again (last data commit "
                    + incident.lastDataCommitAt() + ").";
        }
        return "Late: " + incident.table() + " has had no data commit for "
                + human(incident.stalenessSeconds()) + " (allowed " + human(incident.allowedSilenceSeconds()) + "; "
                + incident.expectation() + ")." + (incident.cause() == null ? "" : " Cause: " + incident.cause() + ".");
    }

    private static String human(long seconds) {
        return Duration.ofSeconds(seconds).toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
