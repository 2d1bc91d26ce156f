package io.deltaplane.metadata.icebergmetadata;

import io.delta.kernel.internal.deletionvectors.Base85Codec;
import io.deltaplane.metadata.delta.DeletionVectors;
import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.inmemory.InMemoryOutputFile;
import org.apache.iceberg.puffin.Blob;
import org.apache.iceberg.puffin.BlobMetadata;
import org.apache.iceberg.puffin.Puffin;
import org.apache.iceberg.puffin.PuffinWriter;
import org.apache.iceberg.puffin.StandardBlobTypes;
import tools.jackson.databind.JsonNode;

/**
 * Delta deletion vectors as Iceberg v3 deletion vectors. Iceberg chose Delta's layout on purpose: a
 * {@code deletion-vector-v1} blob is Delta's stored vector as it is (its length, the magic number
 * and the portable 64-bit Roaring bitmap, a CRC-32), so the bitmap Delta wrote is copied, never
 * decoded and re-encoded. Each vector goes in a Puffin file of its own whose name is a function of
 * the Delta version that added it and its data file, so the conversion of a later version that
 * replaces or drops the vector names the same Iceberg delete file (Iceberg matches one by its
 * location and offset) without reading anything back.
 */
final class DeletionVectorBlobs {

    /** Where Puffin puts the first blob: after its four magic bytes. */
    static final long FIRST_BLOB_OFFSET = 4;

    private final String location;
    private final Storage storage;

    DeletionVectorBlobs(String location, Storage storage) {
        this.location = location;
        this.storage = storage;
    }

    /**
     * Writes the vector an add carries (added at {@code addedVersion}) as a Puffin file; its delete
     * file. The file's bytes are a function of the vector, its data file and the version, so a retry
     * after a failure that came after the put finds the same bytes there and carries on; different
     * bytes under the name are refused, never replaced.
     */
    DeleteFile write(JsonNode dv, String dataLocation, long addedVersion, PartitionSpec spec, StructLike partition) {
        byte[] blob = blob(dv);
        String puffin = puffinLocation(dataLocation, addedVersion);
        InMemoryOutputFile buffer = new InMemoryOutputFile(puffin);
        BlobMetadata written;
        try (PuffinWriter writer = Puffin.write(buffer).createdBy("Deltaplane").build()) {
            written = writer.write(new Blob(
                    StandardBlobTypes.DV_V1,
                    List.of(MetadataColumns.ROW_POSITION.fieldId()),
                    -1, // the snapshot's, inherited
                    -1,
                    ByteBuffer.wrap(blob),
                    null,
                    Map.of(
                            "referenced-data-file",
                            dataLocation,
                            "cardinality",
                            Long.toString(dv.path("cardinality").asLong()))));
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = buffer.toByteArray();
        putOnce(puffin, bytes);
        return deleteFile(puffin, bytes.length, written.offset(), written.length(), dv, dataLocation, spec, partition);
    }

    private void putOnce(String puffin, byte[] bytes) {
        try {
            if (storage.putIfAbsent(puffin, bytes)) {
                return;
            }
            byte[] there = storage.read(puffin)
                    .orElseThrow(() -> new IOException("deletion vector file " + puffin + " vanished"));
            if (!Arrays.equals(there, bytes)) {
                throw new IllegalStateException(
                        "Puffin file " + puffin + " holds other bytes than this deletion vector's");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The delete file {@link #write} made for this vector when its version was converted, as Iceberg
     * identifies it (its location and offset), to remove it.
     */
    DeleteFile written(JsonNode dv, String dataLocation, long addedVersion, PartitionSpec spec, StructLike partition) {
        long length = dv.path("sizeInBytes").asLong() + 8;
        return deleteFile(
                puffinLocation(dataLocation, addedVersion),
                FIRST_BLOB_OFFSET + length,
                FIRST_BLOB_OFFSET,
                length,
                dv,
                dataLocation,
                spec,
                partition);
    }

    private static DeleteFile deleteFile(
            String puffin,
            long fileSize,
            long offset,
            long length,
            JsonNode dv,
            String dataLocation,
            PartitionSpec spec,
            StructLike partition) {
        FileMetadata.Builder builder = FileMetadata.deleteFileBuilder(spec)
                .ofPositionDeletes()
                .withFormat(FileFormat.PUFFIN)
                .withPath(puffin)
                .withFileSizeInBytes(fileSize)
                .withReferencedDataFile(dataLocation)
                .withContentOffset(offset)
                .withContentSizeInBytes(length)
                .withRecordCount(dv.path("cardinality").asLong());
        if (spec.isPartitioned()) {
            builder.withPartition(partition);
        }
        return builder.build();
    }

    private String puffinLocation(String dataLocation, long addedVersion) {
        return location + "/" + TableLocations.ICEBERG_FOLDER + "/data/dv-" + String.format("%020d", addedVersion) + "-"
                + digest(dataLocation) + ".puffin";
    }

    /** The {@code deletion-vector-v1} blob: Delta's stored vector, length and checksum around it. */
    private byte[] blob(JsonNode dv) {
        byte[] vector = vector(dv);
        CRC32 crc = new CRC32();
        crc.update(vector);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(vector.length + 8);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(vector.length);
            out.write(vector);
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The vector's bytes (magic number and bitmap): inline in the descriptor, or at its offset in its file. */
    private byte[] vector(JsonNode dv) {
        String storageType = dv.path("storageType").asString();
        String pathOrInline = dv.path("pathOrInlineDv").asString();
        int size = dv.path("sizeInBytes").asInt();
        if ("i".equals(storageType)) {
            return Base85Codec.decodeBytes(pathOrInline, size);
        }
        String file = DeletionVectors.file(storageType, pathOrInline)
                .flatMap(name -> TablePaths.objectPath(location, storage, name))
                .orElseThrow(() -> new IcebergUnsupported("a deletion vector outside the table's location"));
        long offset = dv.path("offset").asLong(1);
        try (InputStream in = storage.open(file, offset)
                        .orElseThrow(() -> new IOException("deletion vector file " + file + " is missing"));
                DataInputStream data = new DataInputStream(in)) {
            int stored = data.readInt();
            if (stored != size) {
                throw new IOException("deletion vector in " + file + " at " + offset + " holds " + stored
                        + " bytes, its descriptor says " + size);
            }
            byte[] vector = new byte[size];
            data.readFully(vector);
            return vector;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String dataLocation) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dataLocation.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
