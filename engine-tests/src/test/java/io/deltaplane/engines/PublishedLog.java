package io.deltaplane.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A table's {@code _delta_log} read as files, with plain {@code java.nio} and Jackson: what the
 * platform published as any reader finds the files, without Spark's or the platform's own reading
 * of them, so that what Spark reports can be set against it.
 */
final class PublishedLog {

    /** Delta's checkpoint interval for a table whose metaData sets no {@code delta.checkpointInterval}. */
    static final long DEFAULT_CHECKPOINT_INTERVAL = 10;

    /** A checkpoint file's name: classic, multi-part or V2 ({@code <v>.checkpoint.<uuid>.parquet}). */
    private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\..+)?\\.(parquet|json)");

    private final Path log;

    PublishedLog(Path tableRoot) {
        this.log = tableRoot.resolve("_delta_log");
    }

    /** The {@code inCommitTimestamp} of version {@code v}'s commitInfo, empty when it has none. */
    OptionalLong inCommitTimestamp(long version) throws IOException {
        JsonNode commitInfo = firstAction(version, "commitInfo");
        JsonNode ict = commitInfo == null ? null : commitInfo.get("inCommitTimestamp");
        return ict == null || !ict.isIntegralNumber() ? OptionalLong.empty() : OptionalLong.of(ict.asLong());
    }

    /**
     * The table's checkpoint interval as of {@code version}: the newest {@code metaData} at or
     * before it that names {@code delta.checkpointInterval}, else Delta's default.
     */
    long checkpointInterval(long version) throws IOException {
        for (long v = version; v >= 0; v--) {
            JsonNode metaData = firstAction(v, "metaData");
            if (metaData != null) {
                JsonNode interval = metaData.path("configuration").get("delta.checkpointInterval");
                return interval == null ? DEFAULT_CHECKPOINT_INTERVAL : Long.parseLong(interval.asString());
            }
        }
        return DEFAULT_CHECKPOINT_INTERVAL;
    }

    /** The version {@code _last_checkpoint} names. */
    long lastCheckpoint() throws IOException {
        Path last = log.resolve("_last_checkpoint");
        assertThat(last).as("_last_checkpoint in %s", log).exists();
        return Deltaplane.JSON.readTree(Files.readString(last)).get("version").asLong();
    }

    /** The versions the checkpoint files in the log are named for, in order. */
    TreeSet<Long> checkpointFileVersions() throws IOException {
        TreeSet<Long> versions = new TreeSet<>();
        try (Stream<Path> files = Files.list(log)) {
            files.forEach(file -> {
                Matcher name = CHECKPOINT.matcher(file.getFileName().toString());
                if (name.matches()) {
                    versions.add(Long.parseLong(name.group(1)));
                }
            });
        }
        return versions;
    }

    /** The first action of {@code kind} in {@code <version>.json}, or null. */
    private JsonNode firstAction(long version, String kind) throws IOException {
        Path commit = log.resolve(String.format("%020d.json", version));
        assertThat(commit).as("version %d's commit file", version).exists();
        for (String line : Files.readAllLines(commit)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode action = Deltaplane.JSON.readTree(line);
            if (action.has(kind)) {
                return action.get(kind);
            }
        }
        return null;
    }
}
