package io.deltaplane.ingest.config;

import static java.util.Objects.requireNonNull;

import io.deltaplane.client.Deltaplane;
import java.net.URI;
import java.time.Duration;

/** The Java client generated from the committed contract, as the worker calls another service with it. */
public final class ServiceClients {

    private ServiceClients() {}

    /**
     * A client of the service at {@code url}, with the worker's service key: one attempt per call (the
     * caller retries with its own back-off, where it knows whether a call is safe to repeat), and
     * {@code timeout} bounding both the connection and the answer.
     */
    public static Deltaplane open(URI url, String apiKey, Duration timeout) {
        return Deltaplane.builder()
                .url(requireNonNull(url, "url").toString())
                .apiKey(requireNonNull(apiKey, "apiKey"))
                .timeout(requireNonNull(timeout, "timeout"))
                .connectTimeout(timeout)
                .maxAttempts(1)
                .build();
    }
}
