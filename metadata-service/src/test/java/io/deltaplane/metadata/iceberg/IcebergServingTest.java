package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.icebergmetadata.IcebergPublisher;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.metadata.maintenance.TableRows;
import io.deltaplane.testing.IcebergReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Which tables the Iceberg door serves and what happens when making their metadata fails: the
 * per-table switch at each level, a table Iceberg cannot express (a clear 422 naming why, never
 * rows), a conversion that fails (the Delta commit is untouched, the load answers the last good
 * metadata with its Delta version, the failure is in the publish status and the metric), and the
 * background round that keeps tables converted without a load.
 */
class IcebergServingTest extends MaintenanceTestBase {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    IcebergPublisher publisher;

    private String loadPath(String table) {
        String[] parts = table.split("\\.");
        return IcebergRestController.BASE + "/v1/catalogs/" + parts[0] + "/namespaces/" + parts[1] + "/tables/"
                + parts[2];
    }

    /** An Iceberg ErrorModel with Deltaplane's code beside Iceberg's type. */
    private static JsonNode icebergError(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("error_code").asString()).isEqualTo(errorCode);
        return error;
    }

    @Test
    void aTableSchemaOrCatalogTurnedOffIsNotServedAndOnIsTheDefault() {
        Lake on = lake("local");
        append(on, "2026-11-01", 0, 3);
        assertThat(http.get(loadPath(on.table())).statusCode()).isEqualTo(200);

        String off = newTable(Map.of("deltaplane.iceberg.enabled", "false"));
        JsonNode refused = icebergError(http.get(loadPath(off)), 422, "ICEBERG_NOT_SERVED");
        assertThat(refused.get("message").asString()).contains("deltaplane.iceberg.enabled is false on its table");

        // on a schema: every table in it; a table's own "true" wins over its schema's "false"
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/2.1/unity-catalog/schemas",
                        "{\"catalog_name\":\"" + catalog
                                + "\",\"name\":\"quiet\",\"properties\":{\"deltaplane.iceberg.enabled\":\"false\"}}"),
                200);
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(catalog, Map.of()).replace("\"schema_name\":\"s\"", "\"schema_name\":\"quiet\"")),
                201);
        assertThat(icebergError(http.get(loadPath(catalog + ".quiet.t")), 422, "ICEBERG_NOT_SERVED")
                        .get("message")
                        .asString())
                .contains("false on its schema");
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(catalog, Map.of("deltaplane.iceberg.enabled", "true"))
                                .replace("\"schema_name\":\"s\"", "\"schema_name\":\"quiet\"")
                                .replace("\"name\":\"t\"", "\"name\":\"loud\"")),
                201);
        assertThat(http.get(loadPath(catalog + ".quiet.loud")).statusCode()).isEqualTo(200);

        // on a catalog: every table of its schemas; a schema's own "true" wins over its catalog's "false"
        String muted = "c_off_" + Long.toHexString(System.nanoTime());
        ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + muted + "\",\"properties\":{\"deltaplane.iceberg.enabled\":\"false\"}}"),
                200);
        ok(http.post("/api/2.1/unity-catalog/schemas", "{\"catalog_name\":\"" + muted + "\",\"name\":\"s\"}"), 200);
        ok(http.post("/api/v1/tables", tableBody(muted, Map.of())), 201);
        assertThat(icebergError(http.get(loadPath(muted + ".s.t")), 422, "ICEBERG_NOT_SERVED")
                        .get("message")
                        .asString())
                .contains("false on its catalog");
        ok(
                http.post(
                        "/api/2.1/unity-catalog/schemas",
                        "{\"catalog_name\":\"" + muted
                                + "\",\"name\":\"loud\",\"properties\":{\"deltaplane.iceberg.enabled\":\"true\"}}"),
                200);
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody(muted, Map.of()).replace("\"schema_name\":\"s\"", "\"schema_name\":\"loud\"")),
                201);
        assertThat(http.get(loadPath(muted + ".loud.t")).statusCode()).isEqualTo(200);
    }

    @Test
    void whatIcebergCannotExpressIsA422NamingItNeverRows() {
        String catalog = newCatalogWithSchemaS();
        HttpResponse<String> created = http.post(
                "/api/v1/tables",
                "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"semi\",\"schema\":"
                        + "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,"
                        + "\"metadata\":{}},{\"name\":\"payload\",\"type\":\"variant\",\"nullable\":true,"
                        + "\"metadata\":{}}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode refused = icebergError(http.get(loadPath(catalog + ".s.semi")), 422, "ICEBERG_NOT_SERVED");
        assertThat(refused.get("type").asString()).isEqualTo("UnprocessableEntityException");
        assertThat(refused.get("message").asString()).contains("variant").contains("payload");
        // the Delta door is untouched
        assertThat(version(catalog + ".s.semi")).isZero();
    }

    @Test
    void aFileWithoutStatisticsIsCountedFromItsParquetFooter() {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 3);
        // a real file committed without stats, as Kernel commits one it was given none for
        var file = TableRows.write(lake.engine(), lake.location() + "/day=2026-11-02", 100, 7);
        String name = file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
        ok(
                commit(
                        lake.table(),
                        1,
                        "{\"add\":{\"path\":\"day=2026-11-02/" + name
                                + "\",\"partitionValues\":{\"day\":\"2026-11-02\"}," + "\"size\":" + file.getSize()
                                + ",\"modificationTime\":1,\"dataChange\":true}}"),
                201);
        HttpResponse<String> load = http.get(loadPath(lake.table()));
        assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
        JsonNode current = JSON.readTree(load.body()).get("metadata");
        JsonNode summary = null;
        for (JsonNode snapshot : current.get("snapshots")) {
            if (snapshot.get("snapshot-id").asLong()
                    == current.get("current-snapshot-id").asLong()) {
                summary = snapshot.get("summary");
            }
        }
        assertThat(summary.get("deltaplane.delta-version").asString()).isEqualTo("2");
        assertThat(summary.get("added-records").asString())
                .as("the footer's count")
                .isEqualTo("7");
        assertThat(summary.get("total-records").asString()).isEqualTo("10");
    }

    @Test
    void aFailedConversionLeavesTheDeltaCommitAndAnswersTheLastGoodMetadata() {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 3);
        HttpResponse<String> good = http.get(loadPath(lake.table()));
        assertThat(good.headers().firstValue("X-Deltaplane-Delta-Version")).hasValue("1");
        String goodLocation =
                JSON.readTree(good.body()).get("metadata-location").asString();
        double failedBefore = failedConversions();

        // the fault: Postgres refuses to move this table's Iceberg pointer
        String tableId = get("/api/v1/tables/" + lake.table()).get("table_id").asString();
        jdbc.sql("CREATE FUNCTION refuse_iceberg_pointer() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN IF NEW.table_id = '" + tableId + "' AND NEW.metadata_location IS DISTINCT FROM"
                        + " OLD.metadata_location THEN RAISE EXCEPTION 'iceberg pointer refused by the test'; END IF;"
                        + " RETURN NEW; END $$")
                .update();
        jdbc.sql("CREATE TRIGGER refuse_iceberg_pointer BEFORE UPDATE ON iceberg_tables FOR EACH ROW"
                        + " EXECUTE FUNCTION refuse_iceberg_pointer()")
                .update();
        try {
            append(lake, "2026-11-02", 10, 3); // the Delta commit is not held up
            assertThat(version(lake.table())).isEqualTo(2);
            awaitPublished(lake.table(), 2);

            HttpResponse<String> stale = http.get(loadPath(lake.table()));
            assertThat(stale.statusCode()).as(stale.body()).isEqualTo(200);
            assertThat(stale.headers().firstValue("X-Deltaplane-Delta-Version")).hasValue("1");
            assertThat(JSON.readTree(stale.body()).get("metadata-location").asString())
                    .isEqualTo(goodLocation);
            // the fault fired: counted, and recorded on the table's publish status
            assertThat(failedConversions()).isGreaterThan(failedBefore);
            JsonNode iceberg =
                    get("/api/v1/tables/" + lake.table() + "/publish").get("iceberg");
            assertThat(iceberg.get("delta_version").asLong()).isEqualTo(1);
            assertThat(iceberg.get("last_error").asString()).contains("iceberg pointer refused by the test");
        } finally {
            jdbc.sql("DROP TRIGGER refuse_iceberg_pointer ON iceberg_tables").update();
            jdbc.sql("DROP FUNCTION refuse_iceberg_pointer()").update();
        }
        // retried: the next load converts version 2 and clears the failure
        HttpResponse<String> caughtUp = http.get(loadPath(lake.table()));
        assertThat(caughtUp.headers().firstValue("X-Deltaplane-Delta-Version")).hasValue("2");
        JsonNode iceberg = get("/api/v1/tables/" + lake.table() + "/publish").get("iceberg");
        assertThat(iceberg.get("delta_version").asLong()).isEqualTo(2);
        assertThat(iceberg.get("last_error").isNull()).isTrue();
    }

    @Test
    void theBackgroundKeepsTheTablesIcebergClientsReadCurrentAndNoOthers() {
        Lake read = lake("local");
        append(read, "2026-11-01", 0, 3);
        assertThat(http.get(loadPath(read.table())).headers().firstValue("X-Deltaplane-Delta-Version"))
                .hasValue("1");
        append(read, "2026-11-02", 10, 3);
        append(read, "2026-11-03", 20, 3);
        Lake unread = lake("local");
        append(unread, "2026-11-01", 0, 3);
        String off = newTable(Map.of("deltaplane.iceberg.enabled", "false"));
        assertThat(http.get(loadPath(off)).statusCode()).isEqualTo(422);
        assertThat(get("/api/v1/tables/" + read.table() + "/publish")
                        .get("iceberg")
                        .get("delta_version")
                        .asLong())
                .isEqualTo(1);

        // every round that is due, until none is
        for (int rounds = 0; publisher.round() && rounds < 50; rounds++) {}
        JsonNode iceberg = get("/api/v1/tables/" + read.table() + "/publish").get("iceberg");
        assertThat(iceberg.get("delta_version").asLong())
                .as("converted without a load")
                .isEqualTo(3);
        assertThat(iceberg.get("metadata_location").asString()).startsWith(read.location() + "/_iceberg/metadata/");
        // a table no Iceberg client read (or may read) costs nothing per commit: nothing is made for it
        assertThat(get("/api/v1/tables/" + unread.table() + "/publish")
                        .get("iceberg")
                        .isNull())
                .isTrue();
        assertThat(get("/api/v1/tables/" + off + "/publish").get("iceberg").isNull())
                .isTrue();
        // its first load converts it
        assertThat(http.get(loadPath(unread.table())).headers().firstValue("X-Deltaplane-Delta-Version"))
                .hasValue("1");
    }

    private double failedConversions() {
        return meters.get("deltaplane.iceberg.conversions")
                .tag("outcome", "failed")
                .counter()
                .count();
    }

    @Test
    void vacuumKeepsTheIcebergMetadataInItsHiddenFolder() throws Exception {
        Lake lake = lake("local");
        append(lake, "2026-11-01", 0, 3);
        append(lake, "2026-11-02", 10, 3);
        assertThat(http.get(loadPath(lake.table())).statusCode()).isEqualTo(200);
        java.nio.file.Path folder =
                io.deltaplane.storage.StoragePaths.toPath(lake.location()).resolve("_iceberg");
        java.util.List<java.nio.file.Path> made;
        try (var files = java.nio.file.Files.walk(folder)) {
            made = files.filter(java.nio.file.Files::isRegularFile).toList();
        }
        assertThat(made).isNotEmpty();
        // a month old, and no Delta version references them: still not VACUUM's to delete
        java.nio.file.attribute.FileTime monthAgo =
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(30)));
        for (java.nio.file.Path file : made) {
            java.nio.file.Files.setLastModifiedTime(file, monthAgo);
        }
        java.nio.file.Path stray = java.nio.file.Files.writeString(
                io.deltaplane.storage.StoragePaths.toPath(lake.location()).resolve("stray.parquet"), "x");
        java.nio.file.Files.setLastModifiedTime(stray, monthAgo);
        JsonNode vacuum = ok(http.post("/api/v1/tables/" + lake.table() + "/vacuum", "{}"), 200);
        assertThat(vacuum.get("file_count").asLong()).as("the stray file only").isEqualTo(1);
        assertThat(stray).doesNotExist();
        assertThat(made).allSatisfy(file -> assertThat(file).exists());
        try (org.apache.iceberg.rest.RESTCatalog client = IcebergReader.catalog(
                port, lake.table().substring(0, lake.table().indexOf('.')), ADMIN_KEY)) {
            org.apache.iceberg.Table table = client.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("s", "t"));
            assertThat(IcebergReader.rows(table, table.currentSnapshot().snapshotId(), "id"))
                    .hasSize(6);
        }
    }

    /**
     * An Iceberg load reads and never commits: what an engine wrote straight to an EXTERNAL table's
     * log is taken in by the reconcile (or a Delta engine's load), and the next Iceberg load serves it.
     */
    @Test
    void anIcebergLoadOfAnExternalTableNeverCommitsTheReconcileTakesItsLogIn() throws Exception {
        String catalog = newCatalogWithSchemaS();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("external-iceberg");
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"ext\",\"schema\":"
                                + SCHEMA + ",\"partition_columns\":[\"day\"],\"location\":\"" + dir.toUri() + "\"}"),
                201);
        Lake lake = local(catalog + ".s.ext");
        append(lake, "2026-11-01", 0, 3);
        awaitPublished(lake.table(), 1);
        appendByPath(lake, "2026-11-02", 10, 3);

        HttpResponse<String> loaded = http.get(loadPath(lake.table()));
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        assertThat(loaded.headers().firstValue("X-Deltaplane-Delta-Version")).hasValue("1");
        assertThat(version(lake.table())).as("the GET committed nothing").isEqualTo(1);

        JsonNode report = ok(http.post("/api/v1/tables/" + lake.table() + "/publish/reconcile", ""), 200);
        assertThat(report.get("adopted_versions").toString()).isEqualTo("[2]");
        assertThat(http.get(loadPath(lake.table())).headers().firstValue("X-Deltaplane-Delta-Version"))
                .hasValue("2");
        try (org.apache.iceberg.rest.RESTCatalog client = IcebergReader.catalog(port, catalog, ADMIN_KEY)) {
            org.apache.iceberg.Table table =
                    client.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("s", "ext"));
            assertThat(IcebergReader.rows(table, table.currentSnapshot().snapshotId(), "id"))
                    .hasSize(6);
        }
    }

    /** Rows {@code firstId…} in the day's partition, committed by Delta Kernel straight to the table's log. */
    private static void appendByPath(Lake lake, String day, long firstId, int count) {
        io.delta.kernel.Snapshot snapshot =
                io.delta.kernel.TableManager.loadSnapshot(lake.location()).build(lake.engine());
        io.delta.kernel.Transaction txn = snapshot.buildUpdateTableTransaction(
                        "engine", io.delta.kernel.Operation.WRITE)
                .build(lake.engine());
        io.delta.kernel.data.Row state = txn.getTransactionState(lake.engine());
        io.delta.kernel.utils.DataFileStatus file =
                TableRows.write(lake.engine(), lake.location() + "/day=" + day, firstId, count);
        var actions = io.delta.kernel.Transaction.generateAppendActions(
                lake.engine(),
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(
                        java.util.List.of(file).iterator()),
                io.delta.kernel.Transaction.getWriteContext(
                        lake.engine(), state, Map.of("day", io.delta.kernel.expressions.Literal.ofString(day))));
        txn.commit(lake.engine(), io.delta.kernel.utils.CloseableIterable.inMemoryIterable(actions));
    }
}
