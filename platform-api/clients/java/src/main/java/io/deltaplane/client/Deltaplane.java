package io.deltaplane.client;

import io.deltaplane.client.model.Run;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The Deltaplane client for pipelines. Thread-safe; one per application, closed at the end.
 *
 * <pre>{@code
 * try (Deltaplane client = Deltaplane.fromEnvironment()) {
 *     client.useCatalog("main").useSchema("sales");
 *     Table orders = client.tables().get("orders");                  // main.sales.orders
 *     client.tables().commit("orders", orders.version(), List.of(DeltaActions.add("part-0.parquet", 1024)));
 *     client.runJob("daily_sales_etl", job -> {
 *         String input = job.getTableLatestUri("sales_raw");
 *         job.registerSnapshot("sales_daily", "file:/warehouse/sales_daily", "delta");
 *     });
 * }
 * }</pre>
 *
 * <p>Every call is an operation of the client generated from the OpenAPI contract ({@link
 * #generated()}), sent through the gateway with the API key, a request id and (for creating POSTs)
 * an idempotency key, retried with exponential backoff and jitter when that is safe, and failing
 * with a {@link DeltaplaneException} subclass carrying the request id. Every resource manager offers
 * {@code …Async} variants returning {@link CompletableFuture}s.
 */
public final class Deltaplane implements AutoCloseable {

    private final DeltaplaneConfig config;
    private final GeneratedApis generated;
    private final Calls calls;
    private final ExecutorService asyncExecutor;
    private final ScheduledExecutorService heartbeats;
    private volatile String currentCatalog;
    private volatile String currentSchema;

    private final Catalogs catalogs;
    private final Schemas schemas;
    private final Tables tables;
    private final Health health;
    private final IngestMappings ingestMappings;
    private final Volumes volumes;
    private final Jobs jobs;

    private Deltaplane(DeltaplaneConfig config) {
        this.config = config;
        this.generated = new GeneratedApis(config);
        this.calls = new Calls(config.maxAttempts());
        this.asyncExecutor = Executors.newCachedThreadPool(daemon("deltaplane-async"));
        this.heartbeats = Executors.newScheduledThreadPool(1, daemon("deltaplane-heartbeat"));
        this.catalogs = new Catalogs(this, generated, calls);
        this.schemas = new Schemas(this, generated, calls);
        this.tables = new Tables(this, generated, calls);
        this.volumes = new Volumes(this, generated, calls);
        this.health = new Health(generated, calls);
        this.ingestMappings = new IngestMappings(this, generated, calls);
        this.jobs = new Jobs(this, generated, calls);
    }

    /**
     * A client configured from {@code DELTAPLANE_API_URL} (a URL or a DSN), {@code DELTAPLANE_API_KEY}
     * (or, for single sign-on, {@code DELTAPLANE_TOKEN} or {@code DELTAPLANE_TOKEN_FILE}: a token, or a
     * file holding one that is read again when it changes),
     * {@code DELTAPLANE_TIMEOUT_MS}, {@code DELTAPLANE_ARTIFACT_BUCKET} and {@code DELTAPLANE_LOG_SHIP}.
     *
     * @throws InvalidConfigurationException when a setting is missing or malformed
     */
    public static Deltaplane fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()}, reading the given variables instead of the process's. */
    public static Deltaplane fromEnvironment(Map<String, String> environment) {
        return new Deltaplane(DeltaplaneConfig.fromEnvironment(environment));
    }

    /** A client for a DSN {@code deltaplane://:KEY@host:port} ({@code deltaplanes://} for HTTPS). */
    public static Deltaplane connect(String dsn) {
        return builder().dsn(dsn).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public DeltaplaneConfig config() {
        return config;
    }

    // ---- session context -------------------------------------------------------------------

    /** Sets the catalog short table and schema names resolve against. */
    public Deltaplane useCatalog(String catalog) {
        this.currentCatalog = Names.check("catalog", catalog);
        return this;
    }

    /** Sets the schema short table names resolve against; {@code catalog.schema} sets both. */
    public Deltaplane useSchema(String schema) {
        String[] parts = Objects.requireNonNull(schema, "schema").split("\\.");
        if (parts.length == 2) {
            useCatalog(parts[0]);
            this.currentSchema = Names.check("schema", parts[1]);
        } else if (parts.length == 1) {
            this.currentSchema = Names.check("schema", schema);
        } else {
            throw new IllegalArgumentException("A schema is 'schema' or 'catalog.schema', got '" + schema + "'");
        }
        return this;
    }

    public String currentCatalog() {
        return currentCatalog;
    }

    public String currentSchema() {
        return currentSchema;
    }

    /** {@code table}, {@code schema.table} or {@code catalog.schema.table} → the full name. */
    public String resolveTable(String name) {
        String[] parts = Objects.requireNonNull(name, "table name").split("\\.");
        return switch (parts.length) {
            case 3 -> name;
            case 2 -> requireCatalog(name) + "." + name;
            case 1 -> requireCatalog(name) + "." + requireSchema(name) + "." + name;
            default -> throw new IllegalArgumentException("A table name has at most three parts: '" + name + "'");
        };
    }

    /** {@code schema} or {@code catalog.schema} → {@code catalog.schema}. */
    public String resolveSchema(String name) {
        String[] parts = Objects.requireNonNull(name, "schema name").split("\\.");
        return switch (parts.length) {
            case 2 -> name;
            case 1 -> requireCatalog(name) + "." + name;
            default -> throw new IllegalArgumentException("A schema name has at most two parts: '" + name + "'");
        };
    }

    String requireCatalog(String forName) {
        if (currentCatalog == null) {
            throw new IllegalStateException(
                    "'" + forName + "' is not fully qualified and no catalog is in use: call useCatalog(…)");
        }
        return currentCatalog;
    }

    String requireSchema(String forName) {
        if (currentSchema == null) {
            throw new IllegalStateException(
                    "'" + forName + "' is not fully qualified and no schema is in use: call useSchema(…)");
        }
        return currentSchema;
    }

    // ---- resources -------------------------------------------------------------------------

    public Catalogs catalogs() {
        return catalogs;
    }

    public Schemas schemas() {
        return schemas;
    }

    public Tables tables() {
        return tables;
    }

    /** Unity Catalog's volumes: directories of files that are not tables. */
    public Volumes volumes() {
        return volumes;
    }

    /** Incidents of late tables and webhook subscriptions to them. */
    public Health health() {
        return health;
    }

    public IngestMappings ingestMappings() {
        return ingestMappings;
    }

    public Jobs jobs() {
        return jobs;
    }

    /**
     * The generated low-level clients (every operation of the contract): the same configured
     * {@code ApiClient}s the resource managers use.
     */
    public GeneratedApis generated() {
        return generated;
    }

    // ---- lineage ---------------------------------------------------------------------------

    /**
     * Starts a run of {@code jobName}; heartbeats run in the background until the context is
     * closed, which completes the run (failed if {@link JobContext#fail} was called).
     */
    public JobContext startJob(String jobName, Map<String, ?> metadata) {
        return JobContext.start(this, calls, heartbeats, jobName, metadata);
    }

    public JobContext startJob(String jobName) {
        return startJob(jobName, Map.of());
    }

    /**
     * Runs {@code body} as a run of {@code jobName}: completed when it returns, failed (and the
     * exception rethrown) when it throws.
     *
     * @return the completed run, as lineage-service recorded it
     */
    public Run runJob(String jobName, Map<String, ?> metadata, JobBody body) {
        JobContext context;
        try (JobContext job = startJob(jobName, metadata)) {
            context = job;
            try {
                body.run(job);
            } catch (RuntimeException | Error e) {
                job.fail(e);
                throw e;
            } catch (Exception e) {
                job.fail(e);
                throw new JobFailedException(jobName, job.runId(), e);
            }
        }
        return context.completedRun();
    }

    public Run runJob(String jobName, JobBody body) {
        return runJob(jobName, Map.of(), body);
    }

    /** A checked exception thrown by a {@link #runJob} body, rethrown after the run was marked failed. */
    public static final class JobFailedException extends RuntimeException {
        JobFailedException(String job, String runId, Exception cause) {
            super("Job " + job + " (run " + runId + ") failed: " + cause.getMessage(), cause);
        }
    }

    <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, asyncExecutor);
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        asyncExecutor.shutdown();
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a client: {@link #url} (or {@link #dsn}) and one of {@link #apiKey} and {@link
     * #credentials} are required.
     */
    public static final class Builder {
        private URI url;
        private String apiKey;
        private Credentials credentials;
        private Duration timeout;
        private Duration connectTimeout;
        private int maxAttempts = 4;
        private String artifactBucket;
        private boolean logShip = true;
        private Duration heartbeatInterval;

        private Builder() {}

        /** The gateway's base URL, e.g. {@code http://localhost:8080}. */
        public Builder url(String url) {
            try {
                this.url = URI.create(Objects.requireNonNull(url, "url").trim());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("Malformed Deltaplane URL '" + url + "'");
            }
            return this;
        }

        /** URL and key from {@code deltaplane://:KEY@host:port}. */
        public Builder dsn(String dsn) {
            String[] parsed = DeltaplaneConfig.parseDsn(Objects.requireNonNull(dsn, "dsn"));
            url(parsed[0]);
            if (parsed[1] != null && !parsed[1].isEmpty()) {
                apiKey(parsed[1]);
            }
            return this;
        }

        /** A Deltaplane API key; {@code credentials(Credentials.apiKey(key))}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** An API key or a single sign-on access token (a token file, a provider); see {@link Credentials}. */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Longest wait for one answer (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Attempts per call including retries (default 4; 1 disables retries). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder artifactBucket(String artifactBucket) {
            this.artifactBucket = artifactBucket;
            return this;
        }

        public Builder logShip(boolean logShip) {
            this.logShip = logShip;
            return this;
        }

        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        DeltaplaneConfig config() {
            if (apiKey != null && credentials != null) {
                throw new InvalidConfigurationException("Give an API key or credentials, not both");
            }
            Credentials using = apiKey != null ? Credentials.apiKey(apiKey) : credentials;
            return new DeltaplaneConfig(
                    url, using, timeout, connectTimeout, maxAttempts, artifactBucket, logShip, heartbeatInterval);
        }

        /** @throws InvalidConfigurationException when a setting is missing or malformed */
        public Deltaplane build() {
            return new Deltaplane(config());
        }
    }
}
