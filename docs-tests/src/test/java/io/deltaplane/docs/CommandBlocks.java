package io.deltaplane.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ```bash} blocks a reader is meant to paste: every block of README.md's "Quick start"
 * section, and in a docs page every block of a section marked with {@value #WALKTHROUGH_MARKER}
 * (up to the next heading of the same or a higher level). Other blocks (reference snippets,
 * production commands) are illustrations and are not run.
 */
record CommandBlocks(Path file, List<Block> blocks) {

    static final String WALKTHROUGH_MARKER = "<!-- docs-test: walkthrough -->";

    /** One fenced block: where it starts (1-based line of the fence) and its commands. */
    record Block(int line, String code) {}

    static CommandBlocks quickStart(Path readme) throws IOException {
        return section(readme, line -> line.equals("## Quick start") || line.startsWith("## Quick start "));
    }

    /** Every marked walk-through of a docs page, in page order. */
    static CommandBlocks walkthroughs(Path page) throws IOException {
        List<Block> blocks = new ArrayList<>();
        markedSections(page).forEach(blocks::addAll);
        return new CommandBlocks(page, blocks);
    }

    /** The blocks of each marked section of a page, one list per marker line, in page order. */
    static List<List<Block>> markedSections(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page);
        List<List<Block>> sections = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(WALKTHROUGH_MARKER)) {
                sections.add(blocksUntilHeading(lines, i + 1, headingLevelAbove(lines, i)));
            }
        }
        return sections;
    }

    private interface HeadingTest {
        boolean matches(String line);
    }

    private static CommandBlocks section(Path file, HeadingTest heading) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (heading.matches(lines.get(i))) {
                return new CommandBlocks(file, blocksUntilHeading(lines, i + 1, level(lines.get(i))));
            }
        }
        throw new IllegalStateException(file + " has no Quick start section");
    }

    private static int headingLevelAbove(List<String> lines, int index) {
        for (int i = index; i >= 0; i--) {
            int level = level(lines.get(i));
            if (level > 0) {
                return level;
            }
        }
        return 1;
    }

    private static List<Block> blocksUntilHeading(List<String> lines, int from, int level) {
        List<Block> blocks = new ArrayList<>();
        boolean inFence = false;
        boolean runnable = false;
        int start = 0;
        StringBuilder code = new StringBuilder();
        for (int i = from; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                if (!inFence) {
                    inFence = true;
                    runnable = line.substring(3).trim().split("\\s+")[0].equals("bash");
                    start = i + 1;
                    code.setLength(0);
                } else {
                    inFence = false;
                    if (runnable) {
                        blocks.add(new Block(start, code.toString()));
                    }
                }
                continue;
            }
            if (inFence) {
                code.append(line).append('\n');
            } else {
                int heading = level(line);
                if (heading > 0 && heading <= level) {
                    break;
                }
            }
        }
        return blocks;
    }

    private static int level(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == '#') {
            n++;
        }
        return n > 0 && n < line.length() && line.charAt(n) == ' ' ? n : 0;
    }

    /**
     * A bash script running the blocks in order, each announced with the seconds the page has taken
     * so far (bash's {@code SECONDS}: where a slow page spends its time), stopping at the first failure.
     */
    String script() {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (Block block : blocks) {
            String where = file.getFileName() + ":" + block.line();
            script.append("echo \">>> ").append(where).append(" (at ${SECONDS}s)\" >&2\n");
            script.append(block.code());
        }
        return script.toString();
    }
}
