package io.deltaplane.metadata.health;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * A webhook subscription to health incidents: its owner's incidents (of the tables the owner may
 * SELECT, in {@code catalogName} if set) are POSTed to it when they open and when they resolve.
 * Secrets appear only as references.
 */
public record HealthWebhook(
        UUID id,
        String name,

        @Schema(description = "the principal that made it: it receives incidents of the tables this principal may read")
        String owner,

        @Schema(description = "the URL incidents are POSTed to; null when it is a secret (url_secret)")
        String url,

        @Schema(description = "a reference (DELTAPLANE_SECRET_*) to a URL that is itself a secret (Slack's, Teams')")
        String urlSecret,

        @Schema(description = "a reference (DELTAPLANE_SECRET_*) to the HMAC-SHA256 key that signs each delivery")
        String signingSecret,

        @Schema(description = "json (the incident) or slack ({\"text\": …}, which Slack and Teams accept)")
        String format,

        @Schema(description = "only incidents of this catalog's tables; null: every catalog")
        String catalogName,

        Instant createdAt) {}
