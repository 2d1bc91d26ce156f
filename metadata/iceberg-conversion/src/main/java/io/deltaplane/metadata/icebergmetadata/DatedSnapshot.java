package io.deltaplane.metadata.icebergmetadata;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.io.FileIO;

/**
 * The snapshot iceberg-core produced, dated at another time: everything else (id, parent, sequence
 * number, summary, manifest list, schema, row lineage, key) is the produced one's, so Iceberg's
 * {@code SnapshotParser} writes it as it would the produced one but for {@code timestamp-ms}. It
 * only lives until its metadata is written: the table's metadata is read back from the file.
 */
final class DatedSnapshot implements Snapshot {

    private final Snapshot produced;
    private final long timestampMillis;

    DatedSnapshot(Snapshot produced, long timestampMillis) {
        this.produced = produced;
        this.timestampMillis = timestampMillis;
    }

    @Override
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public long sequenceNumber() {
        return produced.sequenceNumber();
    }

    @Override
    public long snapshotId() {
        return produced.snapshotId();
    }

    @Override
    public Long parentId() {
        return produced.parentId();
    }

    @Override
    public List<ManifestFile> allManifests(FileIO io) {
        return produced.allManifests(io);
    }

    @Override
    public List<ManifestFile> dataManifests(FileIO io) {
        return produced.dataManifests(io);
    }

    @Override
    public List<ManifestFile> deleteManifests(FileIO io) {
        return produced.deleteManifests(io);
    }

    @Override
    public String operation() {
        return produced.operation();
    }

    @Override
    public Map<String, String> summary() {
        return produced.summary();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterable<DataFile> addedDataFiles(FileIO io) {
        return produced.addedDataFiles(io);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterable<DataFile> removedDataFiles(FileIO io) {
        return produced.removedDataFiles(io);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterable<DeleteFile> addedDeleteFiles(FileIO io) {
        return produced.addedDeleteFiles(io);
    }

    @Override
    @SuppressWarnings("deprecation")
    public Iterable<DeleteFile> removedDeleteFiles(FileIO io) {
        return produced.removedDeleteFiles(io);
    }

    @Override
    public String manifestListLocation() {
        return produced.manifestListLocation();
    }

    @Override
    public Integer schemaId() {
        return produced.schemaId();
    }

    @Override
    public Long firstRowId() {
        return produced.firstRowId();
    }

    @Override
    public Long addedRows() {
        return produced.addedRows();
    }

    @Override
    public String keyId() {
        return produced.keyId();
    }

    @Override
    public String toString() {
        return produced + " dated " + timestampMillis;
    }
}
