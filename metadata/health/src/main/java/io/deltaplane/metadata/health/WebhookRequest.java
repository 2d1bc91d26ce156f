package io.deltaplane.metadata.health;

import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /api/v1/health/webhooks}: one of {@code url} and {@code url_secret}. */
public record WebhookRequest(
        @Schema(description = "a name for it, unique: letters, digits, '_' and '-', up to 64", example = "oncall")
        String name,

        @Schema(
                description = "where to POST incidents; its host must be one the operator allows",
                example = "https://hooks.example.com/deltaplane")
        String url,

        @Schema(description = "instead of url: a reference to it (DELTAPLANE_SECRET_*)")
        String urlSecret,

        @Schema(description = "a reference (DELTAPLANE_SECRET_*) to an HMAC key: deliveries are then signed")
        String signingSecret,

        @Schema(description = "json (default) or slack", example = "json")
        String format,

        @Schema(description = "only this catalog's tables (default: every catalog)")
        String catalogName) {}
