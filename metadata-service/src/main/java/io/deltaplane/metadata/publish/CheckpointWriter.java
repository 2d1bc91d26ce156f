package io.deltaplane.metadata.publish;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.CheckpointAlreadyExistsException;
import io.deltaplane.metadata.storage.StoragePaths;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * Classic single-file Parquet checkpoints plus {@code _last_checkpoint}, written by Delta Kernel
 * from the published log. The snapshot is loaded at an explicit version, which keeps Kernel's
 * expired-log cleanup off (it only runs for "latest" snapshots), and the engine refuses deletes.
 */
@Component
public class CheckpointWriter {

    private final Engine engine = DeltaKernelEngines.neverDeleting(DeltaKernelEngines.local());

    /** Writes the checkpoint of {@code version}; true if written now, false if it already existed. */
    public boolean write(String location, long version) throws IOException {
        String table = StoragePaths.toFileUri(location);
        Snapshot snapshot = TableManager.loadSnapshot(table).atVersion(version).build(engine);
        try {
            snapshot.writeCheckpoint(engine);
            return true;
        } catch (CheckpointAlreadyExistsException e) {
            return false;
        }
    }
}
