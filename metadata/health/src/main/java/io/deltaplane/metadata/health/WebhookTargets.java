package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.secrets.Secrets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Where a webhook may send, and its secrets: a URL's host must be one the operator allows ({@code
 * deltaplane.health.webhook-allowed-hosts}; checked when the webhook is made and again, for a URL
 * that is a secret, before every send), and secrets are references read only when sending.
 */
@Component
class WebhookTargets {

    private final List<String> allowedHosts;
    private final Secrets secrets;

    WebhookTargets(HealthProperties properties, HealthSecrets secrets) {
        this.allowedHosts = requireNonNull(properties, "properties").webhookAllowedHosts();
        this.secrets = requireNonNull(secrets, "secrets").secrets();
    }

    /** 400 unless {@code url} is http(s) to an allowed host, without credentials in it. */
    void checkUrl(String url) {
        if (!allowed(url)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "url must be http(s), without user info, to a host the operator allows"
                            + " (DELTAPLANE_HEALTH_WEBHOOK_ALLOWED_HOSTS: "
                            + (allowedHosts.isEmpty() ? "none" : allowedHosts)
                            + ")");
        }
    }

    /** 400 unless {@code reference} names a secret this service may read. */
    void checkReference(String field, String reference) {
        if (!secrets.allowed(reference)) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, field + " must name " + secrets.rule());
        }
    }

    /** Where to send a delivery now; the reason it cannot be sent is an {@link IllegalStateException}. */
    URI target(HealthWebhook webhook) {
        String url = webhook.url() != null ? webhook.url() : secrets.require(webhook.urlSecret());
        if (!allowed(url)) {
            throw new IllegalStateException("the webhook's URL is not to an allowed host");
        }
        return URI.create(url);
    }

    /** The signing key, when the webhook has one. */
    Optional<byte[]> signingKey(HealthWebhook webhook) {
        return Optional.ofNullable(webhook.signingSecret())
                .map(ref -> secrets.require(ref).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} without any secret value read here. */
    String redact(String text) {
        return secrets.redact(text);
    }

    private boolean allowed(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || uri.getUserInfo() != null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        return allowedHosts.stream()
                .anyMatch(allowed ->
                        allowed.startsWith("*.") ? host.endsWith(allowed.substring(1)) : host.equals(allowed));
    }
}
