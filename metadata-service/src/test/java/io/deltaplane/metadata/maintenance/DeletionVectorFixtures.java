package io.deltaplane.metadata.maintenance;

import io.delta.kernel.internal.deletionvectors.Base85Codec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.CRC32;
import org.roaringbitmap.RoaringBitmap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deletion vectors as Spark writes them, for the tests: the serialized bitmap, a vector inline in
 * its descriptor or in a file of Delta's format, and the remove and add that replace a file's vector.
 */
public final class DeletionVectorFixtures {

    /** Delta's RoaringBitmapArray, portable serialization: this magic number first. */
    public static final int BITMAP_ARRAY_MAGIC = 1681511377;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DeletionVectorFixtures() {}

    /** The live file {@code path}'s add, from a {@code /snapshot/files} page. */
    public static ObjectNode liveAdd(JsonNode filesPage, String path) {
        for (JsonNode file : filesPage.get("files")) {
            if (file.get("path").asString().equals(path)) {
                return (ObjectNode) file.deepCopy();
            }
        }
        throw new AssertionError(path + " is not live");
    }

    /** An add of the file {@code add} names, with {@code vector}. */
    public static String addWith(ObjectNode add, ObjectNode vector) {
        ObjectNode a = add.deepCopy();
        a.set("deletionVector", vector);
        a.put("dataChange", true);
        return "{\"add\":" + a + "}";
    }

    /** The remove of the file {@code add} names, with its vector if it has one. */
    public static String removeOf(JsonNode add) {
        ObjectNode r = JSON.createObjectNode();
        r.set("path", add.get("path"));
        r.put("deletionTimestamp", System.currentTimeMillis());
        r.put("dataChange", true);
        r.put("extendedFileMetadata", true);
        r.set("partitionValues", add.get("partitionValues"));
        r.set("size", add.get("size"));
        if (add.has("deletionVector")) {
            r.set("deletionVector", add.get("deletionVector"));
        }
        return "{\"remove\":" + r + "}";
    }

    /** Delta's serialized RoaringBitmapArray of row indexes (one bitmap, key 0). */
    public static byte[] bitmap(int... rows) {
        RoaringBitmap bitmap = RoaringBitmap.bitmapOf(rows);
        ByteBuffer data =
                ByteBuffer.allocate(4 + 8 + 4 + bitmap.serializedSizeInBytes()).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(BITMAP_ARRAY_MAGIC).putLong(1).putInt(0);
        bitmap.serialize(data);
        return data.array();
    }

    /** A vector inline in its descriptor. */
    public static ObjectNode inline(int... rows) {
        byte[] data = bitmap(rows);
        ObjectNode dv = JSON.createObjectNode();
        dv.put("storageType", "i");
        dv.put("pathOrInlineDv", Base85Codec.encodeBytes(data));
        dv.put("sizeInBytes", data.length);
        dv.put("cardinality", rows.length);
        return dv;
    }

    /**
     * A vector in a file of Delta's format (version byte, then per vector its size, data and CRC-32,
     * big-endian) named {@code <prefix>/deletion_vector_<uuid>.bin}, as Spark writes them.
     */
    public static ObjectNode onDisk(Path file, int... rows) throws IOException {
        byte[] data = bitmap(rows);
        CRC32 crc = new CRC32();
        crc.update(data);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(data.length);
            out.write(data);
            out.writeInt((int) crc.getValue());
        }
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.toByteArray());
        String name = file.getFileName().toString();
        UUID uuid = UUID.fromString(name.substring("deletion_vector_".length(), name.length() - ".bin".length()));
        ObjectNode dv = JSON.createObjectNode();
        dv.put("storageType", "u");
        dv.put("pathOrInlineDv", file.getParent().getFileName() + Base85Codec.encodeUUID(uuid));
        dv.put("offset", 1);
        dv.put("sizeInBytes", data.length);
        dv.put("cardinality", rows.length);
        return dv;
    }
}
