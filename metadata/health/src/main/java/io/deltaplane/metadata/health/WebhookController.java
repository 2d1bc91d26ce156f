package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.health.WebhookService.WebhookList;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/health/webhooks} over {@link WebhookService}: any principal subscribes to the
 * incidents of the tables it may read; it lists and deletes its own (a metastore admin, every one).
 */
@RestController
public class WebhookController {

    private final WebhookService webhooks;

    public WebhookController(WebhookService webhooks) {
        this.webhooks = requireNonNull(webhooks, "webhooks");
    }

    @PostMapping("/api/v1/health/webhooks")
    @ResponseStatus(HttpStatus.CREATED)
    public HealthWebhook create(@RequestBody WebhookRequest request) {
        return webhooks.create(request);
    }

    @GetMapping("/api/v1/health/webhooks")
    public WebhookList list() {
        return webhooks.list();
    }

    @DeleteMapping("/api/v1/health/webhooks/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name) {
        webhooks.delete(name);
    }
}
