package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.Row;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaModels.StagingTableInfo;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.publish.KernelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Delta Kernel's catalog-managed client (delta-kernel-unitycatalog) over Delta's own UC Delta REST
 * client (delta-storage's UCDeltaTokenBasedRestClient), both unchanged, against the Delta REST API:
 * Kernel creates the table, commits through the catalog and loads what the catalog ratified; the
 * same versions are Postgres's, read through {@code /api/v1}, and published to {@code _delta_log}.
 */
class CatalogManagedCommitsTest extends MetadataTestBase {

    private static final StructType SCHEMA =
            new StructType().add("id", LongType.LONG).add("note", StringType.STRING);

    private record Table(
            String fullName, String id, String path, UCTableIdentifier ucName, UCCatalogManagedClient kernel) {

        Snapshot load() {
            return kernel.loadSnapshot(KernelReader.ENGINE, id, path, ucName, Optional.empty(), Optional.empty());
        }
    }

    private UCDeltaTokenBasedRestClient deltaClient() {
        return UnityClients.delta("http://localhost:" + port, ADMIN_KEY);
    }

    /** Stages a table, and has Kernel create it there (it writes version 0 and finalizes). */
    private Table create(String catalog, String name) throws Exception {
        UCDeltaTokenBasedRestClient uc = deltaClient();
        StagingTableInfo staged = uc.createStagingTable(new TableIdentifier(new String[] {catalog, "s"}, name));
        UCCatalogManagedClient kernel = new UCCatalogManagedClient(uc);
        UCTableIdentifier ucName = new UCTableIdentifier(catalog, "s", name);
        String id = staged.getTableId().toString();
        kernel.buildCreateTableTransaction(id, staged.getLocation(), SCHEMA, "deltaplane-tests", ucName)
                .build(KernelReader.ENGINE)
                .commit(KernelReader.ENGINE, CloseableIterable.emptyIterable());
        return new Table(catalog + ".s." + name, id, staged.getLocation(), ucName, kernel);
    }

    /** Commits one version through the catalog that adds {@code file}; reloads and retries a lost race. */
    private static long append(Table table, String file) {
        for (int attempt = 0; ; attempt++) {
            Snapshot snapshot = table.load();
            Transaction txn = snapshot.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                    .build(KernelReader.ENGINE);
            Row state = txn.getTransactionState(KernelReader.ENGINE);
            Map<String, Literal> noPartitions = Map.of();
            CloseableIterator<Row> actions = Transaction.generateAppendActions(
                    KernelReader.ENGINE,
                    state,
                    io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(new DataFileStatus(
                                    table.path() + "/" + file, 1024, 1_700_000_000_000L, Optional.empty()))
                            .iterator()),
                    Transaction.getWriteContext(KernelReader.ENGINE, state, noPartitions));
            try {
                return txn.commit(KernelReader.ENGINE, CloseableIterable.inMemoryIterable(actions))
                        .getVersion();
            } catch (ConcurrentWriteException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    @Test
    void kernelCreatesCommitsAndLoadsThroughTheCatalog() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table table = create(catalog, "events");

        JsonNode created = get("/api/v1/tables/" + table.fullName());
        assertThat(created.get("version").asLong()).isZero();
        assertThat(table.load().getVersion()).isZero();

        assertThat(append(table, "a.parquet")).isEqualTo(1);
        assertThat(append(table, "b.parquet")).isEqualTo(2);

        Snapshot latest = table.load();
        assertThat(latest.getVersion()).isEqualTo(2);
        assertThat(KernelReader.livePaths(latest, table.path())).containsExactlyInAnyOrder("a.parquet", "b.parquet");
        // the same versions are Postgres's: the platform's snapshot lists the same files
        assertThat(livePaths(table.fullName(), null, 100)).containsExactlyInAnyOrder("a.parquet", "b.parquet");
        assertThat(livePaths(table.fullName(), 1L, 100)).containsExactly("a.parquet");

        // published before the commit was answered: <v>.json is a copy of the staged commit
        Path log = Path.of(java.net.URI.create(table.path().replace("file:/", "file:///")))
                .resolve("_delta_log");
        for (long v = 1; v <= 2; v++) {
            Path published = log.resolve(String.format("%020d.json", v));
            assertThat(published).exists();
            byte[] content = Files.readAllBytes(published);
            try (var staged = Files.list(log.resolve("_staged_commits"))) {
                String prefix = String.format("%020d.", v);
                assertThat(staged.filter(p -> p.getFileName().toString().startsWith(prefix))
                                .anyMatch(p -> {
                                    try {
                                        return java.util.Arrays.equals(Files.readAllBytes(p), content);
                                    } catch (java.io.IOException e) {
                                        throw new java.io.UncheckedIOException(e);
                                    }
                                }))
                        .as("version %d published as its staged commit", v)
                        .isTrue();
            }
        }
        // Kernel's own publish (a copy-if-absent) finds the same bytes in place
        latest.publish(KernelReader.ENGINE);

        JsonNode loaded =
                ok(http.get("/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s/tables/events"), 200);
        assertThat(loaded.get("metadata").get("table-uuid").asString()).isEqualTo(table.id());
        assertThat(loaded.get("latest-table-version").asLong()).isEqualTo(2);
        assertThat(loaded.get("metadata")
                        .get("properties")
                        .get("delta.feature.catalogManaged")
                        .asString())
                .isEqualTo("supported");
    }

    @Test
    void fourKernelWritersOnOneTableLandEveryCommitOnce() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table table = create(catalog, "racing");
        int writers = 4;
        int commitsEach = 5;
        Set<Long> versions = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < commitsEach; i++) {
                        assertThat(versions.add(append(table, "w" + writer + "-" + i + ".parquet")))
                                .as("a version is answered once")
                                .isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Long> expected = new HashSet<>();
        for (long v = 1; v <= writers * commitsEach; v++) {
            expected.add(v);
        }
        assertThat(versions).isEqualTo(expected);
        Snapshot latest = table.load();
        assertThat(latest.getVersion()).isEqualTo(writers * commitsEach);
        assertThat(KernelReader.livePaths(latest, table.path())).hasSize(writers * commitsEach);
        assertThat(livePaths(table.fullName(), null, 1000)).hasSize(writers * commitsEach);
    }

    @Test
    void theCatalogRefusesWhatWouldForkTheLog() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table table = create(catalog, "guarded");
        append(table, "a.parquet");
        String url = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s/tables/guarded";
        // the publisher may backfill version 1 while this test runs, which empties "commits";
        // what must not change is the table's metadata and its latest version
        JsonNode before = ok(http.get(url), 200);
        long latest = before.get("latest-table-version").asLong();

        // a commit for another table's uuid
        JsonNode wrongTable =
                JSON.readTree(http.post(url, update(java.util.UUID.randomUUID().toString(), 2, "x"))
                        .body());
        assertThat(wrongTable.get("error").get("type").asString()).isEqualTo("UpdateRequirementConflictException");
        assertThat(wrongTable.get("error").get("code").asInt()).isEqualTo(409);
        // a version that skips one
        assertThat(http.post(url, update(table.id(), latest + 2, "y")).statusCode())
                .isEqualTo(400);
        // a version already ratified, from another staged file
        assertThat(http.post(url, update(table.id(), latest, "z")).statusCode()).isEqualTo(409);
        // a staged file that is not there
        assertThat(http.post(url, update(table.id(), latest + 1, "missing")).statusCode())
                .isEqualTo(400);
        // a metrics report that is not an object (engines send one object per commit)
        assertThat(http.post(url + "/metrics", "[1, 2, 3]").statusCode()).isEqualTo(400);
        assertThat(http.post(url + "/metrics", "{\"report-type\":\"commit-report\"}")
                        .statusCode())
                .isEqualTo(204);
        // nothing changed
        JsonNode after = ok(http.get(url), 200);
        assertThat(after.get("metadata")).isEqualTo(before.get("metadata"));
        assertThat(after.get("latest-table-version").asLong()).isEqualTo(latest);
        for (JsonNode commit : after.get("commits")) {
            assertThat(commit.get("version").asLong()).isLessThanOrEqualTo(latest);
        }
        assertThat(table.load().getVersion()).isEqualTo(latest);
    }

    @Test
    void aCommitWrittenBehindTheCatalogIsReportedAndNeverAdopted() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table table = create(catalog, "bypassed");
        append(table, "a.parquet");
        // someone writes version 2 straight into _delta_log, as a filesystem-only writer would
        Path log = Path.of(java.net.URI.create(table.path().replace("file:/", "file:///")))
                .resolve("_delta_log");
        Files.copy(log.resolve(String.format("%020d.json", 1)), log.resolve(String.format("%020d.json", 2)));

        JsonNode report = ok(http.post("/api/v1/tables/" + table.fullName() + "/publish/reconcile", ""), 200);
        assertThat(report.get("foreign_versions").toString()).isEqualTo("[2]");
        assertThat(report.get("last_error").asString()).startsWith("FOREIGN:");
        assertThat(version(table.fullName())).isEqualTo(1);
        assertThat(table.load().getVersion())
                .as("the catalog's latest, not the file system's")
                .isEqualTo(1);
        assertThat(Files.exists(log.resolve(String.format("%020d.json", 2))))
                .as("left untouched")
                .isTrue();
    }

    @Test
    void stagedCommitsOfSeveralTablesLandInOneTransactionOrNotAtAll() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table orders = create(catalog, "orders");
        Table payments = create(catalog, "payments");

        String ordersV1 = stage(orders, 1, "o1.parquet", 1024);
        String paymentsV1 = stage(payments, 1, "p1.parquet", 2048);
        JsonNode committed =
                ok(http.post("/api/v1/transactions", transaction(orders, ordersV1, payments, paymentsV1)), 201);
        assertThat(committed.get("versions").get(orders.fullName()).asLong()).isEqualTo(1);
        assertThat(committed.get("versions").get(payments.fullName()).asLong()).isEqualTo(1);
        assertThat(KernelReader.livePaths(orders.load(), orders.path())).containsExactly("o1.parquet");
        assertThat(KernelReader.livePaths(payments.load(), payments.path())).containsExactly("p1.parquet");
        assertThat(logDir(orders).resolve(String.format("%020d.json", 1))).exists();
        assertThat(logDir(payments).resolve(String.format("%020d.json", 1))).exists();

        // one bad part (a negative size) and neither table advances
        String ordersV2 = stage(orders, 2, "o2.parquet", 1024);
        String badV2 = stage(payments, 2, "p2.parquet", -1);
        assertProblem(
                http.post("/api/v1/transactions", transaction(orders, ordersV2, payments, badV2)),
                400,
                "INVALID_ACTION");
        assertThat(orders.load().getVersion()).isEqualTo(1);
        assertThat(payments.load().getVersion()).isEqualTo(1);
        assertThat(version(orders.fullName())).isEqualTo(1);
        assertThat(logDir(orders).resolve(String.format("%020d.json", 2))).doesNotExist();
    }

    @Test
    void anExistingTableBecomesCatalogManagedAndBothApisCommitToIt() throws Exception {
        String fullName = newTable();
        ok(commit(fullName, 0, add("a.parquet", 10)), 201);
        JsonNode converted = ok(http.post("/api/v1/tables/" + fullName + "/catalog-managed", ""), 201);
        assertThat(converted.get("version").asLong()).isEqualTo(2);
        String[] parts = fullName.split("\\.");
        Table table = new Table(
                fullName,
                converted.get("table_id").asString(),
                get("/api/v1/tables/" + fullName).get("location").asString(),
                new UCTableIdentifier(parts[0], parts[1], parts[2]),
                new UCCatalogManagedClient(deltaClient()));

        assertThat(table.load().getVersion()).isEqualTo(2);
        assertThat(append(table, "b.parquet")).isEqualTo(3);
        // the platform's own API goes on committing: engines see those versions too, at once
        ok(commit(fullName, 3, add("c.parquet", 10)), 201);
        Snapshot latest = table.load();
        assertThat(latest.getVersion()).isEqualTo(4);
        assertThat(KernelReader.livePaths(latest, table.path()))
                .containsExactlyInAnyOrder("a.parquet", "b.parquet", "c.parquet");

        assertProblem(http.post("/api/v1/tables/" + fullName + "/catalog-managed", ""), 409, "ALREADY_EXISTS");
        // a table that is not catalog-managed takes no staged commits
        String plain = newTable();
        assertProblem(
                http.post(
                        "/api/v1/transactions",
                        "{\"commits\":[{\"table\":\"" + plain + "\",\"expected_version\":0,\"staged_commit\":"
                                + "{\"file_name\":\"00000000000000000001.x.json\"}}]}"),
                400,
                "VALIDATION_FAILED");
        assertProblem(
                http.delete("/api/v1/tables/" + fullName + "/catalog-managed"), 409, "UNSUPPORTED_DELTA_PROTOCOL");
        assertThat(version(fullName)).isEqualTo(4);
    }

    @Test
    void onlyThePrincipalThatStagedATableMayCreateIt(
            @org.springframework.beans.factory.annotation.Autowired io.deltaplane.support.security.ApiKeyStore keys,
            @org.springframework.beans.factory.annotation.Autowired
                    io.deltaplane.support.access.PrincipalStore principals) {
        String catalog = newCatalogWithSchemaS();
        io.deltaplane.testing.TestHttp[] writers = new io.deltaplane.testing.TestHttp[2];
        for (int i = 0; i < 2; i++) {
            String name =
                    "writer" + i + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
            principals.create(name, io.deltaplane.support.access.PrincipalType.SERVICE_PRINCIPAL);
            ok(
                    http.send(
                            "PATCH",
                            "/api/2.1/unity-catalog/permissions/catalog/" + catalog,
                            "{\"changes\":[{\"principal\":\"" + name + "\",\"add\":[\"USE_CATALOG\"]}]}"),
                    200);
            ok(
                    http.send(
                            "PATCH",
                            "/api/2.1/unity-catalog/permissions/schema/" + catalog + ".s",
                            "{\"changes\":[{\"principal\":\"" + name
                                    + "\",\"add\":[\"USE_SCHEMA\",\"CREATE_TABLE\"]}]}"),
                    200);
            writers[i] = http.withKey(keys.createFor("w" + i, name, null).key());
        }
        String schema = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s";
        JsonNode staged = ok(writers[0].post(schema + "/staging-tables", "{\"name\":\"shared\"}"), 200);
        // the same name staged again by its stager answers the same; by another writer, 409
        assertThat(ok(writers[0].post(schema + "/staging-tables", "{\"name\":\"shared\"}"), 200)
                        .get("table-id"))
                .isEqualTo(staged.get("table-id"));
        assertProblem(writers[1].post(schema + "/staging-tables", "{\"name\":\"shared\"}"), 409, "ALREADY_EXISTS");
        // the other writer cannot finalize it, by location or by id
        String byLocation = "{\"name\":\"shared\",\"table-type\":\"MANAGED\",\"location\":\""
                + staged.get("location").asString() + "\"}";
        assertProblem(writers[1].post(schema + "/tables", byLocation), 403, "FORBIDDEN");
        String byId = "{\"name\":\"shared\",\"table-type\":\"MANAGED\",\"properties\":{\"io.unitycatalog.tableId\":\""
                + staged.get("table-id").asString() + "\"}}";
        assertProblem(writers[1].post(schema + "/tables", byId), 403, "FORBIDDEN");
        // its stager gets on to the next check: version 0 is not written yet
        assertProblem(writers[0].post(schema + "/tables", byLocation), 400, "VALIDATION_FAILED");
        assertThat(http.get("/api/v1/tables/" + catalog + ".s.shared").statusCode())
                .isEqualTo(404);
    }

    /**
     * An engine rewrites its staged file while the catalog ratifies it, every few microseconds
     * between a valid commit and one the catalog refuses (an add escaping the table). Whatever each
     * attempt read, every version the catalog accepted is published as exactly the valid bytes, its
     * catalog state holds the valid file, and a lost {@code <v>.json} is written back from what was
     * ratified, not from the staged file the engine left with other content.
     */
    @Test
    void theLogHoldsTheBytesTheCatalogRatifiedWhileTheEngineRewritesItsStagedFile() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table table = create(catalog, "raced");
        String url = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s/tables/raced";
        int versions = 12;
        long lastIct = 0;
        int refused = 0;
        java.util.Map<Long, byte[]> ratified = new java.util.HashMap<>();
        java.util.Map<Long, String> names = new java.util.HashMap<>();
        java.util.concurrent.atomic.AtomicLong swaps = new java.util.concurrent.atomic.AtomicLong();
        for (long v = 1; v <= versions; v++) {
            lastIct = Math.max(System.currentTimeMillis(), lastIct + 1);
            byte[] valid = stagedCommit(lastIct, "race" + v + ".parquet");
            byte[] hostile = stagedCommit(lastIct, "../../race-escape" + v + ".parquet");
            String name = String.format("%020d.%s.json", v, java.util.UUID.randomUUID());
            Path staged = logDir(table).resolve("_staged_commits").resolve(name);
            Files.write(staged, valid);
            java.util.concurrent.atomic.AtomicBoolean swapping = new java.util.concurrent.atomic.AtomicBoolean(true);
            // each rewrite replaces the whole file in one rename, as an engine rewriting a staged
            // commit would: a read sees valid or hostile bytes, never a half-written file, so under
            // any load about half the attempts can be ratified (a truncate-and-write swap starved
            // the valid content on a busy two-core machine)
            Path next = staged.resolveSibling(name + ".next");
            Thread swapper = new Thread(() -> {
                boolean odd = false;
                while (swapping.get()) {
                    try {
                        Files.write(next, odd ? valid : hostile);
                        Files.move(
                                next,
                                staged,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    odd = !odd;
                    swaps.incrementAndGet();
                }
            });
            swapper.start();
            try {
                boolean accepted = false;
                for (int attempt = 0; attempt < 200 && !accepted; attempt++) {
                    var answer = http.post(url, addCommit(table.id(), v, name, lastIct));
                    if (answer.statusCode() == 200) {
                        accepted = true;
                    } else {
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
                        refused++;
                    }
                }
                assertThat(accepted)
                        .as("version %d accepted within 200 attempts", v)
                        .isTrue();
            } finally {
                swapping.set(false);
                swapper.join();
            }
            // the engine leaves other content behind: the catalog must never take it for the version
            Files.write(staged, hostile);
            ratified.put(v, valid);
            names.put(v, name);
        }
        assertThat(swaps.get())
                .as("the staged file was rewritten during ratification")
                .isGreaterThan(versions);
        assertThat(refused)
                .as("some attempts read the refused content: the swap reached the catalog")
                .isPositive();

        for (long v = 1; v <= versions; v++) {
            Path published = logDir(table).resolve(String.format("%020d.json", v));
            assertThat(Files.readAllBytes(published))
                    .as("<%d>.json holds the bytes that were ratified", v)
                    .isEqualTo(ratified.get(v));
            assertThat(livePaths(table.fullName(), v, 1000)).contains("race" + v + ".parquet");
            assertThat(livePaths(table.fullName(), v, 1000)).noneMatch(p -> p.contains("escape"));
        }
        assertThat(KernelReader.livePaths(table.load(), table.path())).hasSize(versions);

        // lost files are written back from the ratified bytes, never from the (rewritten) staged files
        for (long v = 1; v <= versions; v++) {
            Files.delete(logDir(table).resolve(String.format("%020d.json", v)));
        }
        JsonNode report = ok(http.post("/api/v1/tables/" + table.fullName() + "/publish/reconcile", ""), 200);
        assertThat(report.get("repaired_versions")).hasSize(versions);
        assertThat(report.get("mismatched_versions")).isEmpty();
        for (long v = 1; v <= versions; v++) {
            assertThat(Files.readAllBytes(logDir(table).resolve(String.format("%020d.json", v))))
                    .as("<%d>.json re-published from %s as ratified", v, names.get(v))
                    .isEqualTo(ratified.get(v));
        }
    }

    /**
     * What a catalog checks before the Delta rules: In-Commit Timestamps after the previous version's
     * and not in the future, the table's own regular file (no symbolic or hard link to another
     * table's), UTF-8, and a metaData that keeps the table's UC id and In-Commit Timestamps. Each is
     * a 400 that leaves the table as it was.
     */
    @Test
    void theCatalogRefusesStagedCommitsACatalogMustNotRatify() throws Exception {
        String catalog = newCatalogWithSchemaS();
        Table table = create(catalog, "checked");
        Table other = create(catalog, "neighbour");
        append(table, "a.parquet");
        String url = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s/tables/checked";
        long now = System.currentTimeMillis();
        Path stagedDir = logDir(table).resolve("_staged_commits");

        java.util.Map<String, String> refusals = new java.util.LinkedHashMap<>();
        // the year 3000, and 1970
        refusals.put("future", stageBytes(stagedDir, 2, stagedCommit(32_503_680_000_000L, "f.parquet")));
        refusals.put("1970", stageBytes(stagedDir, 2, stagedCommit(1_000L, "g.parquet")));
        // not UTF-8
        byte[] latin1 = ("{\"commitInfo\":{\"inCommitTimestamp\":" + (now + 1) + ",\"operation\":\"WRITE\"}}\n"
                        + "{\"add\":{\"path\":\"caf\u00e9.parquet\",\"partitionValues\":{},\"size\":1,"
                        + "\"modificationTime\":1,\"dataChange\":true}}\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        refusals.put("latin-1", stageBytes(stagedDir, 2, latin1));
        // a symbolic and a hard link to another table's staged commit
        Path neighbours = logDir(other).resolve("_staged_commits");
        String theirs = stageBytes(neighbours, 2, stagedCommit(now + 1, "theirs.parquet"));
        String symbolic = String.format("%020d.%s.json", 2, java.util.UUID.randomUUID());
        Files.createSymbolicLink(stagedDir.resolve(symbolic), neighbours.resolve(theirs));
        refusals.put("symbolic link", symbolic);
        String hard = String.format("%020d.%s.json", 2, java.util.UUID.randomUUID());
        Files.createLink(stagedDir.resolve(hard), neighbours.resolve(theirs));
        refusals.put("hard link", hard);
        // a metaData that drops the table's UC id
        String metaData = null;
        for (String line : Files.readAllLines(logDir(table).resolve(String.format("%020d.json", 0)))) {
            if (line.startsWith("{\"metaData\"")) {
                metaData = line;
            }
        }
        assertThat(metaData).contains("io.unitycatalog.tableId");
        String dropped = metaData.replaceAll("\"io\\.unitycatalog\\.tableId\":\"[^\"]*\",?", "");
        byte[] noId = ("{\"commitInfo\":{\"inCommitTimestamp\":" + (now + 1)
                        + ",\"operation\":\"SET TBLPROPERTIES\"}}\n" + dropped + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        refusals.put("no UC id", stageBytes(stagedDir, 2, noId));

        for (var refusal : refusals.entrySet()) {
            var answer = http.post(url, addCommit(table.id(), 2, refusal.getValue(), now + 1));
            assertThat(answer.statusCode())
                    .as(refusal.getKey() + ": " + answer.body())
                    .isEqualTo(400);
        }
        assertThat(version(table.fullName())).isEqualTo(1);
        assertThat(table.load().getVersion()).isEqualTo(1);
        // the checks refuse only what they must: a valid commit for version 2 lands
        String valid =
                stageBytes(stagedDir, 2, stagedCommit(Math.max(now + 1, System.currentTimeMillis()), "b.parquet"));
        ok(http.post(url, addCommit(table.id(), 2, valid, now + 1)), 200);
        assertThat(KernelReader.livePaths(table.load(), table.path()))
                .containsExactlyInAnyOrder("a.parquet", "b.parquet");
    }

    private static byte[] stagedCommit(long ict, String file) {
        return ("{\"commitInfo\":{\"inCommitTimestamp\":" + ict + ",\"timestamp\":" + ict
                        + ",\"operation\":\"WRITE\",\"operationParameters\":{},\"isBlindAppend\":true}}\n"
                        + "{\"add\":{\"path\":\"" + file + "\",\"partitionValues\":{},\"size\":1024"
                        + ",\"modificationTime\":1700000000000,\"dataChange\":true}}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String stageBytes(Path stagedDir, long version, byte[] content) throws Exception {
        String name = String.format("%020d.%s.json", version, java.util.UUID.randomUUID());
        Files.createDirectories(stagedDir);
        Files.write(stagedDir.resolve(name), content);
        return name;
    }

    private static String addCommit(String uuid, long version, String fileName, long timestamp) {
        return "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + uuid + "\"}],"
                + "\"updates\":[{\"action\":\"add-commit\",\"commit\":{\"version\":" + version
                + ",\"timestamp\":" + timestamp + ",\"file-name\":\"" + fileName + "\",\"file-size\":1,"
                + "\"file-modification-timestamp\":" + timestamp + "}}]}";
    }

    /**
     * Spark 4.2 with delta-spark 4.4 creates a managed table through Unity Catalog's connector with
     * this version 0: deletion vectors, row tracking, V2 checkpoints and the catalog-managed
     * features, and the properties that enable them. The catalog finalizes it, and Delta Kernel
     * commits rows to it (assigning their row ids from the high-water mark, as every writer of such
     * a table must) and reads it back through the catalog.
     */
    @Test
    void sparksDefaultManagedTableIsFinalizedAndTakesKernelsRowTrackedCommits() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String schema = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s";
        JsonNode staged = ok(http.post(schema + "/staging-tables", "{\"name\":\"spark\"}"), 200);
        String id = staged.get("table-id").asString();
        String location = staged.get("location").asString();
        Path log = Path.of(java.net.URI.create(location.replace("file:/", "file:///")))
                .resolve("_delta_log");
        Files.createDirectories(log.resolve("_staged_commits"));
        String version0 = sparkVersion0(id);
        Files.writeString(log.resolve(String.format("%020d.json", 0)), version0);
        JsonNode created = ok(
                http.post(
                        schema + "/tables",
                        "{\"name\":\"spark\",\"location\":\"" + location + "\",\"table-type\":\"MANAGED\","
                                + "\"data-source-format\":\"DELTA\"}"),
                200);
        JsonNode properties = created.get("metadata").get("properties");
        for (String feature : List.of("rowTracking", "domainMetadata", "v2Checkpoint", "deletionVectors")) {
            assertThat(properties.get("delta.feature." + feature).asString()).isEqualTo("supported");
        }

        UCTableIdentifier ucName = new UCTableIdentifier(catalog, "s", "spark");
        Table table = new Table(catalog + ".s.spark", id, location, ucName, new UCCatalogManagedClient(deltaClient()));
        assertThat(appendRows(table, "a.parquet", 5)).isEqualTo(1);
        assertThat(appendRows(table, "b.parquet", 3)).isEqualTo(2);
        Map<String, Long> baseRowIds = new java.util.HashMap<>();
        get("/api/v1/tables/" + table.fullName() + "/snapshot/files")
                .get("files")
                .forEach(f -> baseRowIds.put(
                        f.get("path").asString(), f.get("baseRowId").asLong()));
        assertThat(baseRowIds).containsEntry("a.parquet", 0L).containsEntry("b.parquet", 5L);
        assertThat(KernelReader.livePaths(table.load(), table.path()))
                .containsExactlyInAnyOrder("a.parquet", "b.parquet");

        // Maintenance an engine may run itself (Delta's OPTIMIZE/VACUUM gate on catalog-managed
        // tables): compaction always; VACUUM once the team turns the platform's vacuum off.
        assertThat(created.get("allowed-maintenance-operations").toString()).isEqualTo("[\"DATA_REORGANIZATION\"]");
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/schemas/" + catalog + ".s",
                        "{\"properties\":{\"deltaplane.autoVacuum\":\"false\"}}"),
                200);
        assertThat(get(schema + "/tables/spark")
                        .get("allowed-maintenance-operations")
                        .toString())
                .isEqualTo("[\"DATA_REORGANIZATION\",\"DATA_CLEANUP\"]");
        Path external = Files.createTempDirectory("external-");
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"ext\",\"location\":\""
                                + external.toUri() + "\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"name\":\"id\","
                                + "\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}}"),
                201);
        assertThat(get(schema + "/tables/ext").has("allowed-maintenance-operations"))
                .as("an external table's maintenance is its owner's")
                .isFalse();
    }

    /** The version 0 delta-spark 4.4 writes for {@code CREATE TABLE t (id BIGINT, name STRING)} of UC id {@code id}. */
    private static String sparkVersion0(String id) {
        long now = System.currentTimeMillis();
        String schemaString = "{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":["
                + "{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"long\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}},"
                + "{\\\"name\\\":\\\"name\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}";
        return "{\"commitInfo\":{\"inCommitTimestamp\":" + now + ",\"timestamp\":" + now
                + ",\"operation\":\"CREATE TABLE\",\"operationParameters\":{},\"isBlindAppend\":true}}\n"
                + "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":"
                + "[\"deletionVectors\",\"v2Checkpoint\",\"vacuumProtocolCheck\",\"catalogManaged\"],"
                + "\"writerFeatures\":[\"deletionVectors\",\"domainMetadata\",\"v2Checkpoint\",\"catalogManaged\","
                + "\"vacuumProtocolCheck\",\"rowTracking\",\"invariants\",\"appendOnly\",\"inCommitTimestamp\"]}}\n"
                + "{\"metaData\":{\"id\":\"" + java.util.UUID.randomUUID() + "\",\"format\":{\"provider\":\"parquet\","
                + "\"options\":{}},\"schemaString\":\"" + schemaString + "\",\"partitionColumns\":[],"
                + "\"configuration\":{\"delta.enableDeletionVectors\":\"true\",\"delta.enableRowTracking\":\"true\","
                + "\"delta.checkpointPolicy\":\"v2\",\"delta.rowTracking.materializedRowIdColumnName\":"
                + "\"_row-id-col-" + java.util.UUID.randomUUID() + "\","
                + "\"delta.rowTracking.materializedRowCommitVersionColumnName\":\"_row-commit-version-col-"
                + java.util.UUID.randomUUID() + "\",\"delta.enableInCommitTimestamps\":\"true\","
                + "\"io.unitycatalog.tableId\":\"" + id + "\"},\"createdTime\":" + now + "}}\n";
    }

    /**
     * A managed table's directory is the table's alone: dropping a table and creating one of the
     * same name through Spark's path (stage, write version 0, finalize) lands the new table in a
     * directory of its own while the dropped table's files stay, and two catalogs sharing a storage
     * root each stage {@code s.t} in a directory of their own, by its catalog's id and its own.
     */
    @Test
    void dropAndRecreateAndASharedStorageRootEachGetADirectoryOfTheirOwn() throws Exception {
        String catalog = newCatalogWithSchemaS();
        String first = createThroughStaging(catalog, "again");
        JsonNode dropped = get("/api/v1/tables/" + catalog + ".s.again");
        assertThat(dropped.get("table_type").asString()).isEqualTo("MANAGED");
        ok(http.delete("/api/2.1/unity-catalog/tables/" + catalog + ".s.again"), 200);
        String second = createThroughStaging(catalog, "again");
        assertThat(second).isNotEqualTo(first).startsWith(first + "-");
        assertThat(localPath(first).resolve("_delta_log").resolve("00000000000000000000.json"))
                .exists();
        JsonNode recreated = get("/api/v1/tables/" + catalog + ".s.again");
        assertThat(recreated.get("location").asString()).isEqualTo(second);
        assertThat(recreated.get("table_type").asString()).isEqualTo("MANAGED");
        assertThat(get("/api/2.1/unity-catalog/tables/" + catalog + ".s.again")
                        .get("table_type")
                        .asString())
                .isEqualTo("MANAGED");

        Path shared = Files.createTempDirectory("shared-root-");
        // both catalogs made before either has a table (a root under a table is refused)
        for (int i = 0; i < 2; i++) {
            String name = catalog + "_shared" + i;
            ok(
                    http.post(
                            "/api/v1/catalogs",
                            "{\"name\":\"" + name + "\",\"storage_root\":\"" + shared.toUri() + "\"}"),
                    201);
            ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + name + "\",\"name\":\"s\"}"), 201);
        }
        List<String> staged = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            staged.add(createThroughStaging(catalog + "_shared" + i, "t"));
        }
        assertThat(staged.get(1)).isNotEqualTo(staged.get(0));
        // each where Unity Catalog places it: <root>/__unitystorage/catalogs/<catalog id>/tables/<table id>
        for (int i = 0; i < 2; i++) {
            String name = catalog + "_shared" + i;
            String catalogId =
                    get("/api/2.1/unity-catalog/catalogs/" + name).get("id").asString();
            String tableId = get("/api/2.1/unity-catalog/tables/" + name + ".s.t")
                    .get("table_id")
                    .asString();
            assertThat(localPath(staged.get(i)))
                    .isEqualTo(shared.resolve("__unitystorage/catalogs/" + catalogId + "/tables/" + tableId));
        }
    }

    /** Stages {@code name}, writes Spark's version 0 there and finalizes it; its location. */
    private String createThroughStaging(String catalog, String name) throws Exception {
        String schema = "/api/2.1/unity-catalog/delta/v1/catalogs/" + catalog + "/schemas/s";
        JsonNode staged = ok(http.post(schema + "/staging-tables", "{\"name\":\"" + name + "\"}"), 200);
        String location = staged.get("location").asString();
        Path log = localPath(location).resolve("_delta_log");
        Files.createDirectories(log);
        Files.writeString(
                log.resolve("00000000000000000000.json"),
                sparkVersion0(staged.get("table-id").asString()));
        ok(
                http.post(
                        schema + "/tables",
                        "{\"name\":\"" + name + "\",\"location\":\"" + location + "\",\"table-type\":\"MANAGED\","
                                + "\"data-source-format\":\"DELTA\"}"),
                200);
        return location;
    }

    private static Path localPath(String location) {
        return Path.of(java.net.URI.create(location.replace("file:/", "file:///")));
    }

    /** Commits one file of {@code rows} rows through the catalog, with the statistics row tracking needs. */
    private static long appendRows(Table table, String file, long rows) {
        Snapshot snapshot = table.load();
        Transaction txn = snapshot.buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                .build(KernelReader.ENGINE);
        Row state = txn.getTransactionState(KernelReader.ENGINE);
        Map<String, Literal> noPartitions = Map.of();
        var stats =
                new io.delta.kernel.statistics.DataFileStatistics(rows, Map.of(), Map.of(), Map.of(), Optional.empty());
        CloseableIterator<Row> actions = Transaction.generateAppendActions(
                KernelReader.ENGINE,
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(new DataFileStatus(
                                table.path() + "/" + file, 1024, 1_700_000_000_000L, Optional.of(stats)))
                        .iterator()),
                Transaction.getWriteContext(KernelReader.ENGINE, state, noPartitions));
        return txn.commit(KernelReader.ENGINE, CloseableIterable.inMemoryIterable(actions))
                .getVersion();
    }

    private static Path logDir(Table table) {
        return Path.of(java.net.URI.create(table.path().replace("file:/", "file:///")))
                .resolve("_delta_log");
    }

    /** Writes a staged commit for {@code version} adding {@code file}, as a client of the catalog would. */
    private String stage(Table table, long version, String file, long size) throws Exception {
        long ict = System.currentTimeMillis(); // after the version before it: its engine wrote that earlier
        String name = String.format("%020d.%s.json", version, java.util.UUID.randomUUID());
        Path staged = logDir(table).resolve("_staged_commits").resolve(name);
        Files.createDirectories(staged.getParent());
        Files.writeString(
                staged,
                "{\"commitInfo\":{\"inCommitTimestamp\":" + ict + ",\"timestamp\":" + ict
                        + ",\"operation\":\"WRITE\",\"operationParameters\":{},\"isBlindAppend\":true}}\n"
                        + "{\"add\":{\"path\":\"" + file + "\",\"partitionValues\":{},\"size\":" + size
                        + ",\"modificationTime\":1700000000000,\"dataChange\":true}}\n");
        return name;
    }

    private static String transaction(Table a, String aFile, Table b, String bFile) {
        return "{\"commits\":["
                + "{\"table\":\"" + a.fullName() + "\",\"expected_version\":" + (stagedVersion(aFile) - 1)
                + ",\"staged_commit\":{\"file_name\":\"" + aFile + "\"}},"
                + "{\"table\":\"" + b.fullName() + "\",\"expected_version\":" + (stagedVersion(bFile) - 1)
                + ",\"staged_commit\":{\"file_name\":\"" + bFile + "\"}}]}";
    }

    private static long stagedVersion(String stagedFile) {
        return Long.parseLong(stagedFile.substring(0, 20));
    }

    private static String update(String uuid, long version, String stagedName) {
        String file = String.format("%020d.%s.json", version, stagedName);
        return "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + uuid + "\"}],"
                + "\"updates\":[{\"action\":\"add-commit\",\"commit\":{\"version\":" + version
                + ",\"timestamp\":1,\"file-name\":\"" + file + "\",\"file-size\":1,"
                + "\"file-modification-timestamp\":1}}]}";
    }
}
