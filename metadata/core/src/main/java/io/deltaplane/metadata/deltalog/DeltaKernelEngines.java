package io.deltaplane.metadata.deltalog;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.deltaplane.storage.Storage;
import java.util.Map;

/** Delta Kernel engines as Deltaplane uses them. */
public final class DeltaKernelEngines {

    private DeltaKernelEngines() {}

    /**
     * Kernel's default engine (its JSON and Parquet handlers) doing all file I/O through {@code
     * storage}: the same backends, credentials and put-if-absent writes as the rest of the platform,
     * on the local disk and on object stores alike, and never a delete (see {@link StorageFileIO}).
     */
    public static Engine over(Storage storage) {
        return DefaultEngine.create(new StorageFileIO(storage));
    }

    /** As {@link #over(Storage)}, with Kernel settings such as its Parquet writer's target file size. */
    public static Engine over(Storage storage, Map<String, String> conf) {
        return DefaultEngine.create(new StorageFileIO(storage, conf));
    }
}
