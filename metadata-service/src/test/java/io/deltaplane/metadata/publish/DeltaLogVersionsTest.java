package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.CommitChecker;
import io.deltaplane.testing.DeltaLogVersions;
import io.deltaplane.testing.DeltaLogVersions.Changes;
import io.deltaplane.testing.DeltaLogVersions.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fault suites' oracle for every version of a published log ({@link DeltaLogVersions}, Delta
 * Kernel reading each commit file): it sees what each version added and removed, and a commit file
 * that lost an action makes it see something else; action by action ({@link
 * CommitChecker#logMismatches}), it finds every kind of action with every field Kernel reads as
 * Postgres recorded it, and a commit file with one field edited differs.
 */
class DeltaLogVersionsTest extends PublishTestBase {

    @Autowired
    DataSource dataSource;

    @Test
    void kernelSeesWhatEachVersionAddedAndRemovedAndATamperedCommitFileDiffers() throws Exception {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1), add("b.parquet", 1)), 201);
        ok(commit(table, 1, remove("a.parquet"), add("c.parquet", 1)), 201);
        ok(commit(table, 2, add("d.parquet", 1)), 201);
        awaitPublished(table);

        List<Changes> read = DeltaLogVersions.changes(KernelReader.ENGINE, location(table), 3);
        assertThat(read)
                .containsExactly(
                        new Changes(Set.of(), Set.of()),
                        new Changes(Set.of("a.parquet", "b.parquet"), Set.of()),
                        new Changes(Set.of("c.parquet"), Set.of("a.parquet")),
                        new Changes(Set.of("d.parquet"), Set.of()));

        Path v2 = logDir(table).resolve("00000000000000000002.json");
        List<String> actions = Files.readAllLines(v2).stream()
                .filter(line -> !line.startsWith("{\"remove\""))
                .toList();
        Files.write(v2, actions);
        assertThat(DeltaLogVersions.changes(KernelReader.ENGINE, location(table), 3)
                        .get(2))
                .as("version 2 without its remove action")
                .isEqualTo(new Changes(Set.of("c.parquet"), Set.of()));
    }

    /** A valid inline deletion vector (two rows), as Delta's protocol gives it for an example. */
    private static final String INLINE_DV = "{\"storageType\":\"i\","
            + "\"pathOrInlineDv\":\"wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L\",\"sizeInBytes\":36,"
            + "\"cardinality\":2}";

    private static final String ADD_A = "{\"add\":{\"path\":\"day=a/a.parquet\",\"partitionValues\":{\"day\":\"a\"},"
            + "\"size\":120,\"modificationTime\":1700000000001,\"dataChange\":true,"
            + "\"stats\":\"{\\\"numRecords\\\":12}\",\"tags\":{\"writer\":\"w1\"}}}";

    @Test
    void kernelReadsEveryActionWithEveryFieldAsPostgresRecordedItAndAnEditedFieldDiffers() throws Exception {
        String table = newTable(Map.of("delta.enableDeletionVectors", "true"), "day");
        ok(
                commit(
                        table,
                        0,
                        ADD_A,
                        add("day=b/b.parquet", 30, Map.of("day", "b")),
                        "{\"txn\":{\"appId\":\"oracle-app\",\"version\":7,\"lastUpdated\":1700000000002}}",
                        "{\"domainMetadata\":{\"domain\":\"oracle.test\",\"configuration\":\"{\\\"k\\\":1}\","
                                + "\"removed\":false}}"),
                201);
        ObjectNode metadata =
                (ObjectNode) get("/api/v1/tables/" + table + "/snapshot").get("metadata");
        ((ObjectNode) metadata.get("configuration")).put("oracle.property", "set at version 2");
        ok(
                commit(
                        table,
                        1,
                        "{\"remove\":{\"path\":\"day=a/a.parquet\",\"deletionTimestamp\":1700000000003,"
                                + "\"dataChange\":true,\"extendedFileMetadata\":true,\"partitionValues\":{\"day\":\"a\"},"
                                + "\"size\":120}}",
                        ADD_A.replace("\"tags\"", "\"deletionVector\":" + INLINE_DV + ",\"tags\""),
                        "{\"metaData\":" + metadata + "}"),
                201);
        awaitPublished(table);

        List<Version> read = DeltaLogVersions.versions(KernelReader.ENGINE, location(table), 2);
        assertThat(mismatches(table, read))
                .as("versions Kernel reads otherwise than Postgres recorded")
                .isEmpty();
        // what was compared: every kind the versions hold, with the fields the commits gave
        assertThat(read.get(0).actions().keySet()).contains("commitInfo", "metaData", "protocol");
        assertThat(read.get(1).actions().keySet())
                .containsExactlyInAnyOrder("commitInfo", "add", "txn", "domainMetadata");
        assertThat(read.get(2).actions().keySet()).containsExactlyInAnyOrder("commitInfo", "add", "remove", "metaData");
        assertThat(read.get(1).of("add"))
                .contains(Map.of(
                        "path",
                        "day=a/a.parquet",
                        "partitionValues",
                        Map.of("day", "a"),
                        "size",
                        120L,
                        "modificationTime",
                        1700000000001L,
                        "dataChange",
                        true,
                        "stats",
                        "{\"numRecords\":12}",
                        "tags",
                        Map.of("writer", "w1")));
        assertThat(read.get(1).of("txn"))
                .containsExactly(Map.of("appId", "oracle-app", "version", 7L, "lastUpdated", 1700000000002L));
        assertThat(read.get(2).of("add").get(0)).containsKey("deletionVector");
        assertThat(read.get(2).of("metaData").get(0).get("configuration").toString())
                .contains("oracle.property=set at version 2");

        // one field edited in the published commit file: the version differs, naming the action
        Path v1 = logDir(table).resolve("00000000000000000001.json");
        String published = Files.readString(v1);
        Map<String, String> edits = Map.of("add", "\"size\":120,", "txn", "\"version\":7,");
        Map<String, String> edited = Map.of("add", "\"size\":121,", "txn", "\"version\":8,");
        for (String kind : List.of("add", "txn")) {
            assertThat(published).contains(edits.get(kind));
            Files.writeString(v1, published.replace(edits.get(kind), edited.get(kind)));
            assertThat(mismatches(table, DeltaLogVersions.versions(KernelReader.ENGINE, location(table), 2)))
                    .as("version 1 with its %s edited", kind)
                    .singleElement()
                    .asString()
                    .startsWith(table + "@1: " + kind + ": only the log [")
                    .contains(
                            edited.get(kind).replace("\"", "").replace(":", "=").replace(",", ""));
        }
        Files.writeString(v1, published.replace("{\\\"numRecords\\\":12}", "{\\\"numRecords\\\":13}"));
        assertThat(mismatches(table, DeltaLogVersions.versions(KernelReader.ENGINE, location(table), 2)))
                .as("version 1 with its add's stats edited")
                .singleElement()
                .asString()
                .contains("add: only the log [{")
                .contains("stats={\"numRecords\":13}");
        Files.writeString(v1, published);
        assertThat(mismatches(table, DeltaLogVersions.versions(KernelReader.ENGINE, location(table), 2)))
                .isEmpty();
    }

    private List<String> mismatches(String table, List<Version> read) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return CommitChecker.logMismatches(c, table, read);
        }
    }
}
