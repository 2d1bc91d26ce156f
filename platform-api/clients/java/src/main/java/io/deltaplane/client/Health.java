package io.deltaplane.client;

import io.deltaplane.client.generated.metadata.api.HealthApi;
import io.deltaplane.client.generated.metadata.api.IncidentsApi;
import io.deltaplane.client.generated.metadata.model.HealthWebhook;
import io.deltaplane.client.generated.metadata.model.Incident;
import io.deltaplane.client.generated.metadata.model.IncidentList;
import io.deltaplane.client.generated.metadata.model.WebhookRequest;
import java.util.List;
import java.util.UUID;

/**
 * Data health beyond one table ({@link Tables#health} is one table's): the incidents of late tables
 * the caller may read, webhook subscriptions to them, and a job's health (lineage's).
 */
public final class Health {
    private final Calls calls;
    private final IncidentsApi incidents;
    private final HealthApi webhooks;
    private final io.deltaplane.client.generated.lineage.api.JobsApi jobs;

    Health(GeneratedApis generated, Calls calls) {
        this.calls = calls;
        this.incidents = new IncidentsApi(generated.metadata());
        this.webhooks = new HealthApi(generated.metadata());
        this.jobs = new io.deltaplane.client.generated.lineage.api.JobsApi(generated.lineage());
    }

    /**
     * Whether a job runs as its history says it should: {@code FAILING} (its last run failed or was
     * abandoned), {@code RUNNING_LONG}, {@code OVERDUE}, {@code HEALTHY} or {@code UNKNOWN} (no runs).
     *
     * @throws NotFoundException when there is no such job
     */
    public io.deltaplane.client.generated.lineage.model.JobHealth job(String name) {
        return calls.idempotent(h -> jobs.getJobsByJobNameHealth(name, h));
    }

    /**
     * Incidents newest first, every page.
     *
     * @param status {@code OPEN}, {@code RESOLVED} or null for both
     * @param catalog only this catalog's tables, or null for every catalog
     */
    public List<Incident> incidents(String status, String catalog) {
        return Paging.all(
                calls,
                (token, h) -> incidents.getIncidents(status, catalog, Paging.PAGE_SIZE, token, h),
                IncidentList::getIncidents,
                IncidentList::getNextPageToken);
    }

    /** One incident ({@link NotFoundException} also when its table is one the caller may not read). */
    public Incident incident(UUID id) {
        return calls.idempotent(h -> incidents.getIncidentsById(id, h));
    }

    /** The caller's webhooks (a metastore admin's: every one); secrets appear as their references. */
    public List<HealthWebhook> webhooks() {
        return calls.idempotent(h -> webhooks.getHealthWebhooks(h)).getWebhooks();
    }

    /**
     * Subscribes a webhook to the incidents of the tables the caller may read.
     *
     * @throws InvalidRequestException when its URL's host is not one the operator allows, or a secret
     *     reference is not one the service may read
     */
    public HealthWebhook createWebhook(WebhookRequest request) {
        return calls.create(h -> webhooks.postHealthWebhooks(request, h));
    }

    public void deleteWebhook(String name) {
        calls.idempotent(h -> {
            webhooks.deleteHealthWebhooksByName(name, h);
            return null;
        });
    }
}
