package io.deltaplane.storage;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStorageContractTest extends StorageContract {

    private final LocalFileStorage storage = new LocalFileStorage();

    @TempDir
    Path dir;

    @Override
    protected Storage storage() {
        return storage;
    }

    /**
     * A file reached through a symbolic link (its own name or a folder on the way) or with a second
     * name (a hard link) is not the location's own: it could be another table's.
     */
    @org.junit.jupiter.api.Test
    void aLinkIsNeverReadAsALocationsOwnFile() throws Exception {
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other.resolve("_staged_commits"));
        Path theirs = java.nio.file.Files.writeString(other.resolve("_staged_commits/x.json"), "theirs");
        Path mine = dir.resolve("mine");
        java.nio.file.Files.createDirectories(mine.resolve("_delta_log/_staged_commits"));
        java.nio.file.Files.createSymbolicLink(mine.resolve("_delta_log/_staged_commits/link.json"), theirs);
        java.nio.file.Files.createLink(mine.resolve("_delta_log/_staged_commits/hard.json"), theirs);
        java.nio.file.Files.createSymbolicLink(mine.resolve("linked_log"), other);
        String location = "file:" + mine;
        for (String relative : java.util.List.of(
                "_delta_log/_staged_commits/link.json",
                "_delta_log/_staged_commits/hard.json",
                "linked_log/_staged_commits/x.json",
                "../other/_staged_commits/x.json")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> storage.readOwnFile(location, relative))
                    .as(relative)
                    .isInstanceOf(NotARegularFileException.class);
        }
        // the same bytes, as a file of its own, are read
        java.nio.file.Files.writeString(mine.resolve("_delta_log/_staged_commits/own.json"), "theirs");
        org.assertj.core.api.Assertions.assertThat(storage.readOwnFile(location, "_delta_log/_staged_commits/own.json"))
                .isPresent();
    }

    @Override
    protected String freshLocation() {
        return "file:" + dir.resolve(UUID.randomUUID().toString());
    }
}
