package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository.FileRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Iceberg snapshot of one Delta version's files: an append of its adds, an overwrite where it
 * also removed files, a {@code replace} where every add and remove says {@code dataChange=false}
 * (OPTIMIZE: incremental readers skip it, as they skip Iceberg's own compactions), and a row delta
 * where deletion vectors change — Delta re-adds a file with its new vector (a remove and an add of
 * one path), which in Iceberg is the same data file with its old deletion vector replaced by the
 * new one; a file removed with its vector takes the vector along.
 *
 * <p>A removed file is named under the partition spec it was added with ({@code removedUnder}):
 * Iceberg looks for it only in the manifests of that spec. Every removal must find its file, or the
 * snapshot fails (Iceberg's {@code failMissingDeletePaths}): a file left live would be read twice.
 */
final class VersionSnapshots {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VersionSnapshots() {}

    /** One Delta version's files: its add actions, the files it removed, and whether it changed data. */
    record VersionFiles(long version, List<JsonNode> adds, List<FileRow> removed, boolean dataChange) {}

    /**
     * The update that makes the version's snapshot: {@code adds} (add actions) and {@code removed}
     * (the files it removed, with the add that had added each), new files under {@code entries}'
     * spec, removed ones under the spec {@code removedUnder} says they were added with. The caller
     * sets the summary and commits.
     */
    static SnapshotUpdate<?> of(
            Table table,
            DataFileEntries entries,
            Function<FileRow, DataFileEntries> removedUnder,
            DeletionVectorBlobs vectors,
            VersionFiles files) {
        List<JsonNode> adds = files.adds();
        List<FileRow> removed = files.removed();
        long startingSnapshot =
                table.currentSnapshot() == null ? -1 : table.currentSnapshot().snapshotId();
        if (!files.dataChange() && !removed.isEmpty()) {
            return rewrite(table, entries, removedUnder, vectors, files, startingSnapshot);
        }
        boolean vectorsChange = adds.stream().anyMatch(VersionSnapshots::hasVector)
                || removed.stream().anyMatch(r -> hasVector(JSON.readTree(r.add())));
        if (!vectorsChange) {
            if (removed.isEmpty()) {
                AppendFiles append = table.newAppend();
                adds.forEach(add -> append.appendFile(entries.dataFile(add)));
                return append;
            }
            OverwriteFiles overwrite = table.newOverwrite();
            adds.forEach(add -> overwrite.addFile(entries.dataFile(add)));
            removed.forEach(r -> overwrite.deleteFile(removedUnder.apply(r).removedFile(JSON.readTree(r.add()))));
            // every removed file must be found; nothing else was committed since the current snapshot
            if (startingSnapshot >= 0) {
                overwrite.validateFromSnapshot(startingSnapshot);
            }
            overwrite.validateNoConflictingData();
            return overwrite;
        }
        requireDeletionVectors(table);
        RowDelta delta = rowDelta(table);
        delta.validateDeletedFiles();
        Map<String, FileRow> removedByPath = new LinkedHashMap<>();
        removed.forEach(
                r -> removedByPath.put(JSON.readTree(r.add()).path("path").asString(), r));
        for (JsonNode add : adds) {
            String location = entries.fileLocation(add.path("path").asString());
            FileRow before = removedByPath.remove(add.path("path").asString());
            if (before == null) {
                delta.addRows(entries.dataFile(add));
            } else {
                JsonNode was = JSON.readTree(before.add());
                if (hasVector(was)) {
                    DataFileEntries under = removedUnder.apply(before);
                    delta.removeDeletes(vectors.written(
                            was.get("deletionVector"),
                            location,
                            before.addedVersion(),
                            under.spec(),
                            under.partitionOf(was)));
                }
            }
            if (hasVector(add)) {
                delta.addDeletes(vectors.write(
                        add.get("deletionVector"),
                        location,
                        files.version(),
                        entries.spec(),
                        entries.partitionOf(add)));
            }
        }
        for (FileRow gone : removedByPath.values()) {
            JsonNode was = JSON.readTree(gone.add());
            DataFileEntries under = removedUnder.apply(gone);
            delta.removeRows(under.removedFile(was));
            if (hasVector(was)) {
                delta.removeDeletes(vectors.written(
                        was.get("deletionVector"),
                        under.fileLocation(was.path("path").asString()),
                        gone.addedVersion(),
                        under.spec(),
                        under.partitionOf(was)));
            }
        }
        return delta;
    }

    /**
     * A version that rewrote files without changing data (OPTIMIZE, a purge of deletion vectors):
     * Iceberg's {@code replace}, which requires every removed file to be found.
     */
    private static SnapshotUpdate<?> rewrite(
            Table table,
            DataFileEntries entries,
            Function<FileRow, DataFileEntries> removedUnder,
            DeletionVectorBlobs vectors,
            VersionFiles files,
            long startingSnapshot) {
        RewriteFiles rewrite = table.newRewrite();
        if (startingSnapshot >= 0) {
            rewrite.validateFromSnapshot(startingSnapshot);
        }
        for (FileRow gone : files.removed()) {
            JsonNode was = JSON.readTree(gone.add());
            DataFileEntries under = removedUnder.apply(gone);
            rewrite.deleteFile(under.removedFile(was));
            if (hasVector(was)) {
                rewrite.deleteFile(vectors.written(
                        was.get("deletionVector"),
                        under.fileLocation(was.path("path").asString()),
                        gone.addedVersion(),
                        under.spec(),
                        under.partitionOf(was)));
            }
        }
        for (JsonNode add : files.adds()) {
            rewrite.addFile(entries.dataFile(add));
            if (hasVector(add)) {
                requireDeletionVectors(table);
                rewrite.addFile(vectors.write(
                        add.get("deletionVector"),
                        entries.fileLocation(add.path("path").asString()),
                        files.version(),
                        entries.spec(),
                        entries.partitionOf(add)));
            }
        }
        return rewrite;
    }

    /** The first snapshot of a table converted from {@code version} on: its live files, with their vectors. */
    static SnapshotUpdate<?> backfill(
            Table table, DataFileEntries entries, DeletionVectorBlobs vectors, List<FileRow> live) {
        boolean anyVector = live.stream().anyMatch(r -> hasVector(JSON.readTree(r.add())));
        if (!anyVector) {
            AppendFiles append = table.newAppend();
            live.forEach(r -> append.appendFile(entries.dataFile(JSON.readTree(r.add()))));
            return append;
        }
        requireDeletionVectors(table);
        RowDelta delta = rowDelta(table);
        for (FileRow row : live) {
            JsonNode add = JSON.readTree(row.add());
            delta.addRows(entries.dataFile(add));
            if (hasVector(add)) {
                delta.addDeletes(vectors.write(
                        add.get("deletionVector"),
                        entries.fileLocation(add.path("path").asString()),
                        row.addedVersion(),
                        entries.spec(),
                        entries.partitionOf(add)));
            }
        }
        return delta;
    }

    /**
     * A row delta checked against nothing committed since the table's current snapshot: the converter
     * is the table's one writer, so an earlier version's vector on a file is not a concurrent one
     * (without a starting snapshot Iceberg checks the vectors against the whole history).
     */
    private static RowDelta rowDelta(Table table) {
        RowDelta delta = table.newRowDelta();
        if (table.currentSnapshot() != null) {
            delta.validateFromSnapshot(table.currentSnapshot().snapshotId());
        }
        return delta;
    }

    static boolean hasVector(JsonNode add) {
        return add.hasNonNull("deletionVector");
    }

    private static void requireDeletionVectors(Table table) {
        if (((org.apache.iceberg.HasTableOperations) table)
                        .operations()
                        .current()
                        .formatVersion()
                < 3) {
            throw new IcebergUnsupported(
                    "deletion vectors in a table whose protocol does not name the deletionVectors feature");
        }
    }
}
