package io.deltaplane.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The warnings and errors the platform's parts logged, for a failed block's message: a {@code curl
 * -sf} that fails prints nothing, and the copy's logs are gone with the CI workspace.
 */
final class PlatformLogs {

    private static final int LINES_PER_PART = 12;
    private static final int LINE_LENGTH = 400;

    private PlatformLogs() {}

    static String problems(Path logs) {
        if (!Files.isDirectory(logs)) {
            return "(no platform logs at " + logs + ")";
        }
        StringBuilder out = new StringBuilder("warnings and errors in the platform's logs (" + logs + "):");
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log :
                    files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> problems = new ArrayList<>();
                // decoded leniently: a part may log bytes that are not UTF-8
                for (String line : new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\n")) {
                    if (line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("Caused by:")) {
                        problems.add(line.length() > LINE_LENGTH ? line.substring(0, LINE_LENGTH) + "…" : line);
                    }
                }
                if (!problems.isEmpty()) {
                    out.append("\n--- ")
                            .append(log.getFileName())
                            .append(" (last ")
                            .append(Math.min(LINES_PER_PART, problems.size()))
                            .append(" of ")
                            .append(problems.size())
                            .append(")");
                    problems.subList(Math.max(0, problems.size() - LINES_PER_PART), problems.size())
                            .forEach(line -> out.append('\n').append(line));
                }
            }
        } catch (IOException e) {
            out.append("\n(could not read them: ").append(e).append(")");
        }
        return out.toString();
    }
}
