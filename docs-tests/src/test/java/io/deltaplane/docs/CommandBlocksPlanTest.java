package io.deltaplane.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the docs walk-through runs, found without a platform: every walk-through marker in the docs
 * is one the discovery reads (none mistyped, so silently skipped), each marked section
 * holds at least one runnable block, and the quick start and the pages keep a floor of blocks —
 * the walk-through cannot pass by running nothing.
 */
class CommandBlocksPlanTest {

    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    /** The pages with a walk-through today; fewer means one was lost. */
    private static final int PAGES_FLOOR = 9;

    /** Their blocks: 24 today. */
    private static final int BLOCKS_FLOOR = 20;

    @Test
    void everyMarkerOfTheDocsIsAWalkthroughTheTestRuns() throws IOException {
        int markers = 0;
        int sections = 0;
        int blocks = 0;
        int pages = 0;
        try (var listing = Files.list(CHECKOUT.resolve("docs"))) {
            for (Path page :
                    listing.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                // a docs-test comment of any spelling, on a line of its own (prose may quote the marker)
                int written = (int) Files.readAllLines(page).stream()
                        .filter(line -> line.trim().startsWith("<!-- docs-test"))
                        .count();
                List<List<CommandBlocks.Block>> found = CommandBlocks.markedSections(page);
                assertThat(found)
                        .as("%s: docs-test comments the walk-through reads as its marker", page)
                        .hasSize(written);
                for (List<CommandBlocks.Block> section : found) {
                    assertThat(section)
                            .as("%s: a marked section without a ```bash block", page)
                            .isNotEmpty();
                    blocks += section.size();
                }
                markers += written;
                sections += found.size();
                pages += found.isEmpty() ? 0 : 1;
            }
        }
        int quickStart =
                CommandBlocks.quickStart(CHECKOUT.resolve("README.md")).blocks().size();
        System.out.printf(
                "docs walk-through: README quick start %d blocks; %d pages, %d marked sections, %d blocks%n",
                quickStart, pages, sections, blocks);
        assertThat(sections).isEqualTo(markers);
        assertThat(pages).as("pages with a walk-through").isGreaterThanOrEqualTo(PAGES_FLOOR);
        assertThat(blocks).as("walk-through blocks of the pages").isGreaterThanOrEqualTo(BLOCKS_FLOOR);
        assertThat(quickStart).as("README quick start blocks").isGreaterThanOrEqualTo(3);
    }
}
