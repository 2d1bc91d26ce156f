package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.Snapshot;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.unitycatalog.UCCatalogManagedClient;
import io.delta.kernel.unitycatalog.UCTableIdentifier;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.storage.commit.TableIdentifier;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaModels.StagingTableInfo;
import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.publish.KernelReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Column mapping and the change data feed on catalog-managed tables, through the UC Delta API:
 * Delta Kernel creates the table through the catalog with the feature's property, an engine's
 * staged commit renames a column (a {@code metaData}) or writes change data ({@code cdc}), the
 * catalog ratifies it by the same rules as {@code /api/v1} commits, and Kernel, {@code /api/v1} and
 * the published {@code _delta_log} all see it.
 */
class CatalogManagedTableFeaturesTest extends MetadataTestBase {

    private static final StructType SCHEMA =
            new StructType().add("id", LongType.LONG).add("note", StringType.STRING);

    private record Table(String catalog, String name, String id, String location, UCCatalogManagedClient kernel) {

        String fullName() {
            return catalog + ".s." + name;
        }

        Snapshot load() {
            return kernel.loadSnapshot(
                    KernelReader.ENGINE,
                    id,
                    location,
                    new UCTableIdentifier(catalog, "s", name),
                    Optional.empty(),
                    Optional.empty());
        }

        Path log() {
            return Path.of(java.net.URI.create(location.replace("file:/", "file:///")))
                    .resolve("_delta_log");
        }
    }

    /** Stages a table and has Kernel create it there with {@code properties}. */
    private Table create(String name, Map<String, String> properties) throws Exception {
        String catalog = newCatalogWithSchemaS();
        UCDeltaTokenBasedRestClient uc = UnityClients.delta("http://localhost:" + port, ADMIN_KEY);
        StagingTableInfo staged = uc.createStagingTable(new TableIdentifier(new String[] {catalog, "s"}, name));
        UCCatalogManagedClient kernel = new UCCatalogManagedClient(uc);
        String id = staged.getTableId().toString();
        kernel.buildCreateTableTransaction(
                        id, staged.getLocation(), SCHEMA, "deltaplane-tests", new UCTableIdentifier(catalog, "s", name))
                .withTableProperties(properties)
                .build(KernelReader.ENGINE)
                .commit(KernelReader.ENGINE, CloseableIterable.emptyIterable());
        return new Table(catalog, name, id, staged.getLocation(), kernel);
    }

    @Test
    void aColumnMappedTableKernelCreatedIsRenamedByAStagedCommitAndKernelReadsTheNewName() throws Exception {
        Table table = create("mapped", Map.of("delta.columnMapping.mode", "name"));
        JsonNode created = get("/api/v1/tables/" + table.fullName());
        JsonNode note = field(created.get("schema"), "note");
        String physical =
                note.get("metadata").get("delta.columnMapping.physicalName").asString();
        assertThat(physical).as("Kernel gave the column a physical name").isNotEqualTo("note");

        // the engine renames note to remark: a metaData keeping the id and the physical name
        ObjectNode metaData = versionZeroMetaData(table);
        ObjectNode schema =
                (ObjectNode) JSON.readTree(metaData.get("schemaString").asString());
        ((ObjectNode) field(schema, "note")).put("name", "remark");
        metaData.put("schemaString", schema.toString());
        ObjectNode action = JSON.createObjectNode();
        action.set("metaData", metaData);
        ratify(table, 1, commitInfo() + "\n" + action + "\n");

        Snapshot snapshot = table.load();
        assertThat(snapshot.getVersion()).isEqualTo(1);
        assertThat(snapshot.getSchema().fieldNames()).containsExactly("id", "remark");
        StructField remark = snapshot.getSchema().get("remark");
        assertThat(remark.getMetadata().getString("delta.columnMapping.physicalName"))
                .isEqualTo(physical);
        assertThat(field(get("/api/v1/tables/" + table.fullName()).get("schema"), "remark"))
                .isNotNull();
        awaitPublished(table.fullName(), 1);
        assertThat(Files.readString(table.log().resolve(String.format("%020d.json", 1))))
                .contains("remark")
                .contains(physical);

        // a rename that changes the physical name would lose the column's data: refused
        ((ObjectNode) field(schema, "remark").get("metadata")).put("delta.columnMapping.physicalName", "other");
        metaData.put("schemaString", schema.toString());
        action.set("metaData", metaData);
        var refused = http.post(url(table), addCommit(table, stage(table, 2, commitInfo() + "\n" + action + "\n")));
        assertProblem(refused, 400, "INVALID_ACTION");
        assertThat(table.load().getVersion()).isEqualTo(1);
    }

    @Test
    void changeDataAnEngineStagesIsRatifiedPublishedAndServed() throws Exception {
        Table table = create("feed", Map.of("delta.enableChangeDataFeed", "true"));
        assertThat(get("/api/v1/tables/" + table.fullName()).toString()).contains("delta.enableChangeDataFeed");
        ratify(
                table,
                1,
                commitInfo() + "\n{\"add\":{\"path\":\"a.parquet\",\"partitionValues\":{},\"size\":10,"
                        + "\"modificationTime\":1,\"dataChange\":true}}\n");
        String update = commitInfo()
                + "\n{\"remove\":{\"path\":\"a.parquet\",\"deletionTimestamp\":1,\"dataChange\":true}}"
                + "\n{\"add\":{\"path\":\"b.parquet\",\"partitionValues\":{},\"size\":10,"
                + "\"modificationTime\":1,\"dataChange\":true}}"
                + "\n{\"cdc\":{\"path\":\"_change_data/cdc-00000.parquet\",\"partitionValues\":{},\"size\":20,"
                + "\"dataChange\":false}}\n";
        ratify(table, 2, update);

        JsonNode changes = get("/api/v1/tables/" + table.fullName() + "/changes?from_version=1&to_version=2")
                .get("changes");
        assertThat(changes.get(0).get("change_files").get(0).get("change_type").asString())
                .isEqualTo("insert");
        assertThat(changes.get(1).get("change_files")).hasSize(1);
        assertThat(changes.get(1).get("change_files").get(0).get("path").asString())
                .isEqualTo("_change_data/cdc-00000.parquet");
        awaitPublished(table.fullName(), 2);
        assertThat(Files.readString(table.log().resolve(String.format("%020d.json", 2))))
                .as("the published version carries the engine's cdc action")
                .contains("\"cdc\"");

        // change data outside _change_data/ is refused, whoever stages it
        String misplaced = commitInfo() + "\n{\"cdc\":{\"path\":\"elsewhere/cdc.parquet\",\"partitionValues\":{},"
                + "\"size\":20,\"dataChange\":false}}\n";
        assertProblem(http.post(url(table), addCommit(table, stage(table, 3, misplaced))), 400, "INVALID_ACTION");
        assertThat(table.load().getVersion()).isEqualTo(2);
    }

    private void ratify(Table table, long version, String content) throws Exception {
        ok(http.post(url(table), addCommit(table, stage(table, version, content))), 200);
    }

    private static String url(Table table) {
        return "/api/2.1/unity-catalog/delta/v1/catalogs/" + table.catalog() + "/schemas/s/tables/" + table.name();
    }

    private static String stage(Table table, long version, String content) throws Exception {
        String name = String.format("%020d.%s.json", version, UUID.randomUUID());
        Path staged = table.log().resolve("_staged_commits").resolve(name);
        Files.createDirectories(staged.getParent());
        Files.write(staged, content.getBytes(StandardCharsets.UTF_8));
        return name;
    }

    private static String addCommit(Table table, String stagedName) {
        long version = Long.parseLong(stagedName.substring(0, 20));
        long now = System.currentTimeMillis();
        return "{\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":\"" + table.id() + "\"}],"
                + "\"updates\":[{\"action\":\"add-commit\",\"commit\":{\"version\":" + version + ",\"timestamp\":"
                + now + ",\"file-name\":\"" + stagedName + "\",\"file-size\":1,\"file-modification-timestamp\":"
                + now + "}}]}";
    }

    /** A commitInfo with an In-Commit Timestamp after the previous one's and not ahead of the clock. */
    private long lastIct;

    private String commitInfo() {
        long now = Math.max(System.currentTimeMillis(), lastIct + 1);
        lastIct = now;
        return "{\"commitInfo\":{\"inCommitTimestamp\":" + now + ",\"timestamp\":" + now
                + ",\"operation\":\"WRITE\",\"operationParameters\":{}}}";
    }

    private static ObjectNode versionZeroMetaData(Table table) throws Exception {
        for (String line : Files.readAllLines(table.log().resolve(String.format("%020d.json", 0)))) {
            JsonNode action = JSON.readTree(line);
            if (action.has("metaData")) {
                return (ObjectNode) action.get("metaData");
            }
        }
        throw new AssertionError("no metaData in version 0");
    }

    private static JsonNode field(JsonNode schema, String name) {
        for (JsonNode f : (ArrayNode) schema.get("fields")) {
            if (f.get("name").asString().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
