package io.deltaplane.metadata.icebergmetadata;

import io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository.FileRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Iceberg snapshot of one Delta version's files: an append of its adds, an overwrite where it
 * also removed files, and a row delta where deletion vectors change — Delta re-adds a file with its
 * new vector (a remove and an add of one path), which in Iceberg is the same data file with its old
 * deletion vector replaced by the new one; a file removed with its vector takes the vector along.
 */
final class VersionSnapshots {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private VersionSnapshots() {}

    /**
     * The update that makes {@code version}'s snapshot: {@code adds} (add actions) and {@code removed}
     * (the files it removed, with the add that had added each). The caller sets the summary and commits.
     */
    static SnapshotUpdate<?> of(
            Table table,
            DataFileEntries entries,
            DeletionVectorBlobs vectors,
            long version,
            List<JsonNode> adds,
            List<FileRow> removed) {
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
            removed.forEach(r -> overwrite.deleteFile(entries.dataFile(JSON.readTree(r.add()))));
            return overwrite;
        }
        requireDeletionVectors(table);
        RowDelta delta = rowDelta(table);
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
                    delta.removeDeletes(vectors.written(
                            was.get("deletionVector"),
                            location,
                            before.addedVersion(),
                            entries.spec(),
                            entries.partitionOf(was)));
                }
            }
            if (hasVector(add)) {
                delta.addDeletes(vectors.write(
                        add.get("deletionVector"), location, version, entries.spec(), entries.partitionOf(add)));
            }
        }
        for (FileRow gone : removedByPath.values()) {
            JsonNode was = JSON.readTree(gone.add());
            delta.removeRows(entries.dataFile(was));
            if (hasVector(was)) {
                delta.removeDeletes(vectors.written(
                        was.get("deletionVector"),
                        entries.fileLocation(was.path("path").asString()),
                        gone.addedVersion(),
                        entries.spec(),
                        entries.partitionOf(was)));
            }
        }
        return delta;
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
