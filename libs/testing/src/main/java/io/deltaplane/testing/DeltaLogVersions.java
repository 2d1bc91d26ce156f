package io.deltaplane.testing;

import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.DeltaLogActionUtils.DeltaAction;
import io.delta.kernel.internal.TableImpl;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every version of a published {@code _delta_log} as Delta Kernel reads it: the files each commit
 * file adds and removes, version by version. One pass over the commit files checks every version
 * (a snapshot per version would read a checkpoint and its tail each time), and comparing what each
 * version changed, rather than what is live at each, costs as much as the log has actions; compare a
 * few versions through a snapshot too, to cover checkpoints.
 *
 * <p>Delta Kernel is an optional dependency of this library (see {@link DeltaScan}).
 */
public final class DeltaLogVersions {

    /**
     * The paths one version adds and removes, as its add and remove actions give them. A path in both
     * is a file rewritten in place (a new deletion vector).
     */
    public record Changes(Set<String> added, Set<String> removed) {

        public Changes {
            added = Set.copyOf(added);
            removed = Set.copyOf(removed);
        }
    }

    /** Collects, path by path, what versions 0..newest add and remove; one per reader of a log. */
    public static final class Collector {
        private final List<Set<String>> added = new ArrayList<>();
        private final List<Set<String>> removed = new ArrayList<>();

        public Collector(long newest) {
            for (long v = 0; v <= newest; v++) {
                added.add(new HashSet<>());
                removed.add(new HashSet<>());
            }
        }

        public void added(long version, String path) {
            added.get(Math.toIntExact(version)).add(path);
        }

        public void removed(long version, String path) {
            removed.get(Math.toIntExact(version)).add(path);
        }

        /** Index {@code v} holds version {@code v}. */
        public List<Changes> changes() {
            List<Changes> changes = new ArrayList<>();
            for (int v = 0; v < added.size(); v++) {
                changes.add(new Changes(added.get(v), removed.get(v)));
            }
            return changes;
        }
    }

    private DeltaLogVersions() {}

    /**
     * What each version from 0 to {@code newest} changed; index {@code v} holds version {@code v}.
     * Fails when a commit file is missing.
     */
    public static List<Changes> changes(Engine engine, String tablePath, long newest) {
        Collector collector = new Collector(newest);
        try (CloseableIterator<ColumnarBatch> batches = ((TableImpl) TableImpl.forPath(engine, tablePath))
                .getChanges(engine, 0, newest, EnumSet.of(DeltaAction.ADD, DeltaAction.REMOVE))) {
            while (batches.hasNext()) {
                ColumnarBatch batch = batches.next();
                ColumnVector versions = batch.getColumnVector(batch.getSchema().indexOf("version"));
                ColumnVector adds = batch.getColumnVector(batch.getSchema().indexOf("add"));
                ColumnVector removes = batch.getColumnVector(batch.getSchema().indexOf("remove"));
                for (int i = 0; i < batch.getSize(); i++) {
                    long version = versions.getLong(i);
                    if (!adds.isNullAt(i)) {
                        collector.added(version, path(adds, i));
                    }
                    if (!removes.isNullAt(i)) {
                        collector.removed(version, path(removes, i));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return collector.changes();
    }

    private static String path(ColumnVector action, int row) {
        return action.getChild(((StructType) action.getDataType()).indexOf("path"))
                .getString(row);
    }
}
