package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.client.AuthException;
import io.deltaplane.client.ConflictException;
import io.deltaplane.client.Credentials;
import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.InvalidRequestException;
import io.deltaplane.client.JobContext;
import io.deltaplane.client.NotFoundException;
import io.deltaplane.client.generated.lineage.model.Event;
import io.deltaplane.client.generated.lineage.model.LinkedArtifact;
import io.deltaplane.client.generated.lineage.model.RunInput;
import io.deltaplane.client.generated.lineage.model.RunView;
import io.deltaplane.client.generated.metadata.model.Entry;
import io.deltaplane.client.generated.metadata.model.FilesPage;
import io.deltaplane.client.generated.metadata.model.SnapshotResponse;
import io.deltaplane.client.generated.metadata.model.TableResponse;
import io.deltaplane.client.model.CommitResult;
import io.deltaplane.client.model.DeltaActions;
import io.deltaplane.client.model.Run;
import io.deltaplane.client.model.Snapshot;
import io.deltaplane.client.model.Table;
import io.deltaplane.client.model.TableSpec;
import io.deltaplane.testing.OidcProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against the real platform ({@link EndToEndPlatform}: the four app jars the build
 * produced), all calls through the gateway.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class JavaClientEndToEndTest {

    static EndToEndPlatform platform;
    static Deltaplane client;
    static OidcProvider oidc;

    @BeforeAll
    static void connect(EndToEndPlatform shared) {
        platform = shared;
        oidc = shared.oidc();
        client = Deltaplane.builder()
                .url(shared.gatewayUrl())
                .apiKey(shared.adminKey())
                .heartbeatInterval(Duration.ofMillis(200))
                .maxAttempts(2)
                .build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aPipelineSignedInWithATokenFileActsForItsPrincipalUnderItsGrants(@TempDir Path dir) throws Exception {
        String catalog = unique("sso");
        client.catalogs().create(catalog, "single sign-on");
        String principal = unique("etl") + "@example.com";
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, oidc.token(principal, Map.of("email", principal)));
        try (Deltaplane pipeline = Deltaplane.builder()
                .url(platform.gatewayUrl())
                .credentials(Credentials.tokenFile(tokenFile))
                .maxAttempts(1)
                .build()) {
            pipeline.useCatalog(catalog);
            // first sight creates the principal, with no grants: the catalog is not its to use
            assertThatThrownBy(() -> pipeline.schemas().create("raw"))
                    .isInstanceOfSatisfying(
                            AuthException.class, e -> assertThat(e.status()).isEqualTo(403));

            grant(catalog, principal, "USE_CATALOG", "CREATE_SCHEMA");
            assertThat(pipeline.schemas().create("raw").name()).isEqualTo("raw");

            // the file is read again when it changes: a token for another application is refused
            Files.writeString(
                    tokenFile, oidc.token(principal, List.of("another-app"), Map.of("email", principal), 3600));
            Files.setLastModifiedTime(
                    tokenFile,
                    java.nio.file.attribute.FileTime.from(
                            java.time.Instant.now().plusSeconds(60)));
            assertThatThrownBy(() -> pipeline.schemas().get("raw"))
                    .isInstanceOfSatisfying(
                            AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void theAuditTrailNamesTheClientBehindTheIngressNotTheGateway() throws Exception {
        String requestId = unique("audited-request");
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/v1/catalogs"))
                                .header("Authorization", "Bearer " + platform.adminKey())
                                .header("Content-Type", "application/json")
                                .header("X-Request-Id", requestId)
                                // what an ingress the gateway trusts says: a forged hop, then the client
                                .header("X-Forwarded-For", "192.0.2.1, 203.0.113.7")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + unique("audited") + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        HttpResponse<String> audit = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(platform.gatewayUrl()
                                        + "/api/v1/audit?action=POST%20/api/v1/catalogs&max_results=100"))
                                .header("Authorization", "Bearer " + platform.adminKey())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        var events = io.deltaplane.client.internal.Json.mapper()
                .readTree(audit.body())
                .path("events");
        var ours = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
        events.forEach(event -> {
            if (requestId.equals(event.path("request_id").asText())) {
                ours.add(event);
            }
        });
        // written by metadata-service, which saw only the gateway's connection
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).path("service").asText()).isEqualTo("metadata-service");
        assertThat(ours.get(0).path("source_address").asText()).isEqualTo("203.0.113.7");
    }

    /** Grants {@code privileges} on {@code catalog} with the admin key, through Unity Catalog's permissions API. */
    private static void grant(String catalog, String principal, String... privileges) throws Exception {
        String add = String.join("\",\"", privileges);
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(platform.gatewayUrl()
                                        + "/api/2.1/unity-catalog/permissions/catalog/" + catalog))
                                .header("Authorization", "Bearer " + platform.adminKey())
                                .header("Content-Type", "application/json")
                                .method(
                                        "PATCH",
                                        HttpRequest.BodyPublishers.ofString("{\"changes\":[{\"principal\":\""
                                                + principal + "\",\"add\":[\"" + add + "\"]}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @Test
    void catalogSchemaTableCommitSnapshot() {
        String catalog = unique("e2e");
        client.catalogs().create(catalog, "end-to-end");
        client.useCatalog(catalog);
        client.schemas().create("sales");
        client.useSchema("sales");

        Table created = client.tables()
                .create(TableSpec.named("orders").column("id", "long", false).column("amount", "double"));
        assertThat(created.fullName()).isEqualTo(catalog + ".sales.orders");
        assertThat(created.version()).isZero();
        assertThat(created.schema().path("fields"))
                .extracting(f -> f.path("name").asText())
                .containsExactly("id", "amount");

        CommitResult commit = client.tables()
                .commit(
                        "orders",
                        0,
                        List.of(
                                DeltaActions.add("part-00000.parquet", 2048),
                                DeltaActions.add("part-00001.parquet", 1024)));
        assertThat(commit.version()).isEqualTo(1);

        Snapshot latest = client.tables().snapshot("orders");
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.numFiles()).isEqualTo(2);
        assertThat(latest.sizeBytes()).isEqualTo(3072);
        assertThat(client.tables().snapshot("orders", 0).numFiles()).isZero();
        assertThat(latest.metadata().path("schemaString").asText()).contains("amount");
        assertThat(client.tables().history("orders").getCommits())
                .extracting(Entry::getVersion)
                .startsWith(1L);

        // OPTIMIZE: no file under a 1 KiB target; the files this test named are not in storage
        var nothingSmall = client.tables().optimize("orders", null, 1024L);
        assertThat(nothingSmall.getVersion()).isNull();
        assertThat(nothingSmall.getReadVersion()).isEqualTo(1);
        assertThatThrownBy(() -> client.tables().optimize("orders"))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("DATA_FILE_MISSING"));

        // VACUUM within the week's retention: the files of version 1 are live, nothing to delete
        var vacuum = client.tables().vacuum("orders", true, null, false);
        assertThat(vacuum.getDryRun()).isTrue();
        assertThat(vacuum.getRetentionHours()).isEqualTo(168.0);
        assertThat(vacuum.getFileCount()).isZero();

        assertThat(client.tables().get("orders").version()).isEqualTo(1);
        assertThat(client.tables().list()).extracting(Table::fullName).contains(catalog + ".sales.orders");
        assertThat(client.catalogs().get(catalog).name()).isEqualTo(catalog);
        assertThat(client.schemas().list()).extracting(s -> s.name()).contains("sales");

        // async fan-out over the same session
        List<CompletableFuture<Table>> reads =
                List.of(client.tables().getAsync("orders"), client.tables().getAsync(catalog + ".sales.orders"));
        assertThat(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                        .thenApply(
                                v -> reads.stream().map(f -> f.join().version()).toList())
                        .join())
                .containsExactly(1L, 1L);
    }

    @Test
    void everyErrorClassMapsToItsException() throws Exception {
        String catalog = unique("errs");
        client.catalogs().create(catalog);
        client.schemas().create(catalog + ".s");
        client.tables().create(TableSpec.named(catalog + ".s.t").column("id", "long"));

        assertThatThrownBy(() -> client.catalogs().get(unique("missing")))
                .isInstanceOfSatisfying(
                        NotFoundException.class, e -> assertThat(e.requestId()).isNotBlank());
        assertThatThrownBy(() -> client.catalogs().create(catalog))
                .isInstanceOfSatisfying(
                        ConflictException.class, e -> assertThat(e.status()).isEqualTo(409));
        client.tables().commit(catalog + ".s.t", 0, List.of(DeltaActions.add("a.parquet", 1)));
        assertThatThrownBy(() -> client.tables().commit(catalog + ".s.t", 0, List.of(DeltaActions.add("b.parquet", 1))))
                .isInstanceOfSatisfying(
                        ConflictException.class,
                        e -> assertThat(e.currentVersion()).hasValue(1));
        assertThatThrownBy(
                        () -> client.tables().commit(catalog + ".s.t", 1, List.of(DeltaActions.add("c.parquet", -5))))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
        assertThat(client.tables().get(catalog + ".s.t").version()).isEqualTo(1); // nothing stored

        try (Deltaplane stranger = Deltaplane.builder()
                .url(platform.gatewayUrl())
                .apiKey("dp_not-a-key")
                .build()) {
            assertThatThrownBy(() -> stranger.catalogs().list())
                    .isInstanceOfSatisfying(
                            AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
        try (Deltaplane reader = Deltaplane.builder()
                .url(platform.gatewayUrl())
                .apiKey(newKey("read"))
                .build()) {
            assertThat(reader.catalogs().list()).isNotEmpty();
            assertThatThrownBy(() -> reader.catalogs().create(unique("nope")))
                    .isInstanceOfSatisfying(
                            AuthException.class, e -> assertThat(e.status()).isEqualTo(403));
        }
        // a 503 (a backend down), retried and then reported as a ServerException: CallBehaviourTest, against
        // a scripted server; this platform is shared by the other suites and keeps every backend up
    }

    @Test
    void jobContextLifecycle(@TempDir Path dir) throws Exception {
        String raw = unique("sales_raw");
        String daily = unique("sales_daily");
        Run producer = client.runJob(
                unique("ingest_raw"), job -> job.registerSnapshot(raw, "file:/warehouse/" + raw, "delta"));
        assertThat(producer.state()).isEqualTo("COMPLETED");

        Path log = Files.writeString(dir.resolve("etl.log"), "read " + raw + "\nwrote " + daily + "\n");
        String jobName = unique("daily_sales_etl");
        String runId;
        try (JobContext job = client.startJob(jobName, Map.of("owner", "sales-team"))) {
            runId = job.runId();
            assertThat(job.getTableLatestUri(raw)).isEqualTo("file:/warehouse/" + raw);
            job.registerSnapshot(daily, "file:/warehouse/" + daily, "delta");
            assertThat(job.logEvent("metrics", Map.of("rows", 1200))).isNotBlank();
            job.attachLog(log);
            // the job's background heartbeat reaches lineage while the run is open
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
            RunView open = client.jobs().run(runId);
            while (open.getLastHeartbeatAt() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
                open = client.jobs().run(runId);
            }
            assertThat(open.getLastHeartbeatAt())
                    .as("a heartbeat while the run is open")
                    .isNotNull();
            assertThat(open.getState()).isEqualTo(RunView.StateEnum.RUNNING);
        }

        RunView run = client.jobs().run(runId);
        assertThat(run.getState()).isEqualTo(RunView.StateEnum.COMPLETED);
        assertThat(run.getLastHeartbeatAt()).as("heartbeats were sent").isNotNull();
        assertThat(run.getInputs()).extracting(RunInput::getTableName).contains(raw);
        assertThat(run.getOutputs()).extracting(o -> o.getTableName()).contains(daily);
        assertThat(run.getEvents()).extracting(Event::getEventType).contains("metrics");
        assertThat(run.getArtifacts()).singleElement().satisfies((LinkedArtifact artifact) -> {
            assertThat(artifact.getType()).isEqualTo("log");
            assertThat(artifact.getUri()).isNotBlank();
        });
        assertThat(client.jobs().runs(jobName)).extracting(Run::state).containsExactly("COMPLETED");
    }

    @Test
    void aJobsCommitsReachLineageWrittenByItsRun() throws Exception {
        String catalog = unique("written");
        client.catalogs().create(catalog);
        client.schemas().create(catalog + ".s");
        String table = catalog + ".s.t";
        client.tables().create(TableSpec.named(table).column("id", "long"));
        String jobName = unique("writer_job");
        String runId;
        try (JobContext job = client.startJob(jobName, Map.of())) {
            runId = job.runId();
            assertThat(job.commit(table, 0, List.of(DeltaActions.add("a.parquet", 10)))
                            .version())
                    .isEqualTo(1);
            // a commitInfo of the caller's own keeps its fields
            assertThat(job.commit(
                                    table,
                                    1,
                                    List.of(
                                            DeltaActions.add("b.parquet", 10),
                                            Map.of("commitInfo", Map.of("engineInfo", "nightly-etl"))))
                            .version())
                    .isEqualTo(2);
        }
        var history = client.tables().history(table);
        assertThat(history.getCommits().get(0).getCommitInfo())
                .containsEntry("deltaplaneRunId", runId)
                .containsEntry("engineInfo", "nightly-etl");

        // metadata-service relays each version with its writer: lineage shows both written by the run,
        // without a registerSnapshot.
        var snapshots = new io.deltaplane.client.generated.lineage.api.TablesApi(
                client.generated().lineage());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        List<String> writers = List.of();
        while (System.nanoTime() < deadline) {
            writers = snapshots.getTablesByTableNameSnapshots(table, 100, null).getSnapshots().stream()
                    .filter(sn -> sn.getVersion() != null && sn.getVersion() >= 1)
                    .map(sn -> String.valueOf(sn.getRunId()))
                    .toList();
            if (writers.size() == 2 && !writers.contains("null")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(writers).containsExactly(runId, runId);
        assertThat(client.jobs().run(runId).getOutputs())
                .extracting(o -> o.getTableName())
                .contains(table);
    }

    @Test
    void aThrowingJobIsRecordedAsFailed() {
        String jobName = unique("failing_job");
        assertThatThrownBy(() -> client.runJob(jobName, job -> {
                    throw new IllegalStateException("source table is empty");
                }))
                .isInstanceOf(IllegalStateException.class);
        List<Run> runs = client.jobs().runs(jobName);
        assertThat(runs).extracting(Run::state).containsExactly("FAILED");
        assertThat(String.valueOf(client.jobs().run(runs.get(0).runId()).getExtra()))
                .contains("source table is empty");
    }

    @Test
    void generatedClientsReachEveryOperation() throws Exception {
        String catalog = unique("gen");
        client.catalogs().create(catalog);
        var catalogs = new io.deltaplane.client.generated.metadata.api.CatalogsApi(
                client.generated().metadata());
        assertThat(catalogs.getCatalogsByName(catalog).getName()).isEqualTo(catalog);
        assertThat(catalogs.getCatalogs(1000, null).getCatalogs())
                .extracting(c -> c.getName())
                .contains(catalog);
        var tables = new io.deltaplane.client.generated.metadata.api.TablesApi(
                client.generated().metadata());
        client.schemas().create(catalog + ".s");
        client.tables().create(TableSpec.named(catalog + ".s.t").column("id", "long"));
        assertThat(tables.getTablesByFullName(catalog + ".s.t").getSchema()).containsEntry("type", "struct");
        var jobs = new io.deltaplane.client.generated.lineage.api.JobsApi(
                client.generated().lineage());
        assertThat(jobs.getJobs(null, null).getJobs()).isNotNull();
    }

    @Test
    void generatedModelsReadTheJsonFieldsAsTheContractDeclaresThem(@TempDir Path dir) throws Exception {
        // no workaround in the generated clients' mapper: a field the contract mistyped fails to read
        String table = unique("typed") + ".s.t";
        client.catalogs().create(table.substring(0, table.indexOf('.')));
        client.schemas().create(table.substring(0, table.lastIndexOf('.')));
        client.tables()
                .create(TableSpec.named(table).column("id", "long", false).property("delta.appendOnly", "true"));
        client.tables()
                .commit(
                        table,
                        0,
                        List.of(
                                DeltaActions.add("part-0.parquet", 1024),
                                Map.of("txn", Map.of("appId", "daily_etl", "version", 7)),
                                Map.of(
                                        "domainMetadata",
                                        Map.of(
                                                "domain",
                                                "delta.clustering",
                                                "configuration",
                                                "{}",
                                                "removed",
                                                false))));
        var tables = new io.deltaplane.client.generated.metadata.api.TablesApi(
                client.generated().metadata());

        TableResponse t = tables.getTablesByFullName(table);
        assertThat(t.getSchema()).containsEntry("type", "struct");
        assertThat(t.getProperties()).containsEntry("delta.appendOnly", "true");

        SnapshotResponse snapshot = tables.getTablesByFullNameSnapshot(table, null, null);
        assertThat(snapshot.getProtocol()).containsEntry("minReaderVersion", 1);
        assertThat(snapshot.getMetadata()).containsKey("schemaString");
        assertThat(snapshot.getAppVersions()).containsEntry("daily_etl", 7L);
        assertThat(snapshot.getDomainMetadata())
                .singleElement()
                .satisfies(d -> assertThat(d).containsEntry("domain", "delta.clustering"));

        assertThat(tables.getTablesByFullNameHistory(table, null, null).getCommits())
                .first()
                .satisfies(c -> assertThat(c.getCommitInfo()).containsKey("operation"));
        assertThat(tables.getTablesByFullNameChanges(table, 1L, null, null).getChanges())
                .singleElement()
                .satisfies(c -> assertThat(c.getActions())
                        .extracting(action -> action.keySet().iterator().next())
                        .contains("commitInfo", "add", "txn", "domainMetadata"));
        FilesPage files = tables.getTablesByFullNameSnapshotFiles(table, null, null, null, null);
        assertThat(files.getVersion()).isEqualTo(1);
        assertThat(files.getFiles()).extracting(f -> f.get("path")).containsExactly("part-0.parquet");

        // the artifact download is bytes (the upload stays the layer's own request, see ArtifactUpload)
        Path report = Files.writeString(dir.resolve("report.txt"), "rows: 1200\n");
        io.deltaplane.client.internal.ArtifactUpload.put(
                client.generated().lineage(), "reports", List.of(table + ".txt"), report, "text/plain", Map.of());
        var datasets = new io.deltaplane.client.generated.lineage.api.DatasetsApi(
                client.generated().lineage());
        assertThat(datasets.getDatasetsByBucketByObject("reports", table + ".txt"))
                .hasContent("rows: 1200");
    }

    /** A key of the given scope, made with the gateway's admin API. */
    private static String newKey(String scope) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(platform.gatewayUrl() + "/api/v1/admin/api-keys"))
                                .header("Authorization", "Bearer " + platform.adminKey())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"e2e-" + scope + "\",\"scope\":\"" + scope + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return io.deltaplane.client.internal.Json.mapper()
                .readTree(response.body())
                .path("key")
                .asText();
    }
}
