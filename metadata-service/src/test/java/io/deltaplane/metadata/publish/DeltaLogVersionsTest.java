package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.DeltaLogVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fault suites' oracle for every version of a published log ({@link DeltaLogVersions}, Delta
 * Kernel replaying the commit files): it sees what the catalog holds at each version, and a commit
 * file that lost an action makes it see something else.
 */
class DeltaLogVersionsTest extends PublishTestBase {

    @Test
    void kernelSeesTheCatalogsLiveFilesAtEveryVersionAndATamperedCommitFileDiffers() throws Exception {
        String table = newTable();
        ok(commit(table, 0, add("a.parquet", 1), add("b.parquet", 1)), 201);
        ok(commit(table, 1, remove("a.parquet"), add("c.parquet", 1)), 201);
        ok(commit(table, 2, add("d.parquet", 1)), 201);
        awaitPublished(table);

        List<Set<String>> read = DeltaLogVersions.liveFiles(KernelReader.ENGINE, location(table), 3);
        assertThat(read).hasSize(4);
        for (long v = 0; v <= 3; v++) {
            assertThat(read.get((int) v)).as("version %d", v).isEqualTo(new HashSet<>(livePaths(table, v, 100)));
        }
        assertThat(read.get(2)).containsExactlyInAnyOrder("b.parquet", "c.parquet");

        Path v2 = logDir(table).resolve("00000000000000000002.json");
        List<String> actions = Files.readAllLines(v2).stream()
                .filter(line -> !line.startsWith("{\"remove\""))
                .toList();
        Files.write(v2, actions);
        assertThat(DeltaLogVersions.liveFiles(KernelReader.ENGINE, location(table), 3)
                        .get(2))
                .as("version 2 without its remove action")
                .containsExactlyInAnyOrder("a.parquet", "b.parquet", "c.parquet");
    }
}
