package io.deltaplane.testing;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.TableImpl;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every version of a published {@code _delta_log} as Delta Kernel reads it: the add and remove
 * actions of each commit file, in version order, replayed into the files live at each version. One
 * pass over the commit files checks every version (a snapshot per version would read a checkpoint
 * and its tail each time); compare a few versions through a snapshot too, to cover checkpoints.
 *
 * <p>Delta Kernel is an optional dependency of this library (see {@link DeltaScan}).
 */
public final class DeltaLogVersions {

    private DeltaLogVersions() {}

    /**
     * The live files (paths as the add actions give them) at each version from 0 to {@code newest};
     * index {@code v} holds version {@code v}. Fails when a commit file is missing.
     */
    public static List<Set<String>> liveFiles(Engine engine, String tablePath, long newest) {
        TreeMap<Long, List<Change>> changes = new TreeMap<>();
        try (CloseableIterator<ColumnarBatch> batches = ((TableImpl) TableImpl.forPath(engine, tablePath))
                .getChanges(engine, 0, newest, EnumSet.of(DeltaAction.ADD, DeltaAction.REMOVE))) {
            while (batches.hasNext()) {
                ColumnarBatch batch = batches.next();
                ColumnVector versions = batch.getColumnVector(batch.getSchema().indexOf("version"));
                ColumnVector adds = batch.getColumnVector(batch.getSchema().indexOf("add"));
                ColumnVector removes = batch.getColumnVector(batch.getSchema().indexOf("remove"));
                for (int i = 0; i < batch.getSize(); i++) {
                    List<Change> of = changes.computeIfAbsent(versions.getLong(i), v -> new ArrayList<>());
                    if (!adds.isNullAt(i)) {
                        of.add(new Change(true, path(adds, i)));
                    }
                    if (!removes.isNullAt(i)) {
                        of.add(new Change(false, path(removes, i)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Set<String>> live = new ArrayList<>();
        Set<String> current = new HashSet<>();
        for (long version = 0; version <= newest; version++) {
            for (Change change : changes.getOrDefault(version, List.of())) {
                if (change.add()) {
                    current.add(change.path());
                } else {
                    current.remove(change.path());
                }
            }
            live.add(Set.copyOf(current));
        }
        return live;
    }

    private static String path(ColumnVector action, int row) {
        ColumnVector path = action.getChild(
                action.getDataType() instanceof io.delta.kernel.types.StructType struct ? struct.indexOf("path") : 0);
        return path.getString(row);
    }

    private record Change(boolean add, String path) {}
}
