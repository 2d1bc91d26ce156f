package io.deltaplane.support.loop;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What this process of a service does ({@code deltaplane.process.*}): by default both — it answers
 * the API and runs the background jobs that work for the whole cluster (publishing, checkpoints,
 * passes, maintenance, conversions, relays, deliveries, audit chaining). The Helm chart can run the
 * jobs in a Deployment of their own ({@code metadataWorker}): its pods set {@code api=false} (the
 * API answers 404; health and metrics stay), the API's pods {@code background-jobs=false}. Work a
 * process does for its own requests (renewing its idempotency leases) runs whatever the role.
 */
@ConfigurationProperties("deltaplane.process")
public record ProcessRole(
        @DefaultValue("true") boolean api,
        @DefaultValue("true") boolean backgroundJobs) {

    /** Both: the default. */
    public static final ProcessRole ALL = new ProcessRole(true, true);

    public ProcessRole {
        if (!api && !backgroundJobs) {
            throw new IllegalArgumentException(
                    "deltaplane.process.api and deltaplane.process.background-jobs are both false: this process would do nothing");
        }
    }
}
