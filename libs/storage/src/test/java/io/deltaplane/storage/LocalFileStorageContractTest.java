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

    @Override
    protected String freshLocation() {
        return "file:" + dir.resolve(UUID.randomUUID().toString());
    }
}
