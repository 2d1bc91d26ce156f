package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * Health webhooks ({@link WebhookController}): any principal subscribes to the incidents of the tables it may
 * read; it lists and deletes its own (a metastore admin, every one). Secrets are references, checked
 * against what the service may read; a plain URL's host against what the operator allows.
 */
@Service
public class WebhookService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final WebhookSubscriptions webhooks;
    private final WebhookTargets targets;
    private final AccessControl access;
    private final Clock clock;

    WebhookService(WebhookSubscriptions webhooks, WebhookTargets targets, AccessControl access, Clock clock) {
        this.webhooks = requireNonNull(webhooks, "webhooks");
        this.targets = requireNonNull(targets, "targets");
        this.access = requireNonNull(access, "access");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The caller's webhooks (a metastore admin's: all). */
    public record WebhookList(List<HealthWebhook> webhooks) {}

    public HealthWebhook create(WebhookRequest request) {
        String owner = access.caller().principal();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw invalid("name is letters, digits, '_' and '-', 1 to 64 of them");
        }
        if ((request.url() == null) == (request.urlSecret() == null)) {
            throw invalid("give url or url_secret, one of them");
        }
        if (request.url() != null) {
            targets.checkUrl(request.url());
        } else {
            targets.checkReference("url_secret", request.urlSecret());
        }
        if (request.signingSecret() != null) {
            targets.checkReference("signing_secret", request.signingSecret());
        }
        String format = request.format() == null ? "json" : request.format();
        if (!format.equals("json") && !format.equals("slack")) {
            throw invalid("format is json or slack");
        }
        return webhooks.add(new HealthWebhook(
                UUID.randomUUID(),
                request.name(),
                owner,
                request.url(),
                request.urlSecret(),
                request.signingSecret(),
                format,
                request.catalogName() == null ? null : Names.part("catalog", request.catalogName()),
                clock.instant()));
    }

    public WebhookList list() {
        var caller = access.caller();
        boolean admin = access.isMetastoreAdmin(caller);
        return new WebhookList(webhooks.all().stream()
                .filter(w -> admin || w.owner().equals(caller.principal()))
                .toList());
    }

    public void delete(String name) {
        var caller = access.caller();
        HealthWebhook webhook = webhooks.named(name)
                .filter(w -> w.owner().equals(caller.principal()) || access.isMetastoreAdmin(caller))
                .orElseThrow(() -> ApiException.notFound(ErrorCode.NOT_FOUND, "No webhook named " + name + "."));
        webhooks.remove(webhook.id());
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, message);
    }
}
