package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.DeltaLogVersions;
import io.deltaplane.testing.DeltaLogVersions.Changes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fault suites' oracle for every version of a published log ({@link DeltaLogVersions}, Delta
 * Kernel reading each commit file): it sees what each version added and removed, and a commit file
 * that lost an action makes it see something else.
 */
class DeltaLogVersionsTest extends PublishTestBase {

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
}
