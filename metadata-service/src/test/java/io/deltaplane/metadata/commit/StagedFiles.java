package io.deltaplane.metadata.commit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Staged commits as an engine writes them for a catalog-managed table: {@code
 * _delta_log/_staged_commits/<20-digit version>.<uuid>.json}, a {@code commitInfo} with an
 * In-Commit Timestamp first (strictly increasing across the files written here, never ahead of the
 * clock), then the actions, one JSON line each.
 */
final class StagedFiles {

    private static final AtomicLong LAST_TIMESTAMP = new AtomicLong();
    private static final Map<String, Long> TIMESTAMPS = new ConcurrentHashMap<>();

    private StagedFiles() {}

    /** The {@code _delta_log} directory of a table at a local {@code file:} location. */
    static Path logOf(String location) {
        return Path.of(URI.create(location)).resolve("_delta_log");
    }

    /** Writes a staged commit of {@code actions} for {@code version}; returns its file name. */
    static String write(CommitRulesAcrossDoorsTest.DoorTable table, long version, String... actions) {
        long ict = LAST_TIMESTAMP.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
        String name = String.format("%020d.%s.json", version, UUID.randomUUID());
        StringBuilder content = new StringBuilder("{\"commitInfo\":{\"inCommitTimestamp\":" + ict + ",\"timestamp\":"
                + ict + ",\"operation\":\"WRITE\",\"operationParameters\":{}}}\n");
        for (String action : actions) {
            content.append(action).append('\n');
        }
        try {
            Path staged = table.log().resolve("_staged_commits");
            Files.createDirectories(staged);
            Files.writeString(staged.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TIMESTAMPS.put(name, ict);
        return name;
    }

    /** The In-Commit Timestamp written into a staged file. */
    static long timestampOf(String fileName) {
        return TIMESTAMPS.get(fileName);
    }
}
