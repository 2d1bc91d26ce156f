package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.internal.deletionvectors.Base85Codec;
import io.deltaplane.storage.LocalFileStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.PartitionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deletion vector's Puffin file survives a retry: its name is fixed (a later removal names the same
 * delete file), so a conversion retried after a failure that came after the put finds the file
 * there. Before, the second put failed for good and the table's Iceberg metadata stayed stale; now
 * the same bytes are accepted, and other bytes under the name are refused, never replaced.
 */
class DeletionVectorBlobsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static JsonNode inline(byte[] vector, long cardinality) {
        return JSON.readTree("{\"storageType\":\"i\",\"pathOrInlineDv\":\"" + Base85Codec.encodeBytes(vector)
                + "\",\"sizeInBytes\":" + vector.length + ",\"cardinality\":" + cardinality + "}");
    }

    @Test
    void aRetryWritesTheSameFileAgainAndOtherBytesAreRefused() throws Exception {
        String location = dir.toUri().toString().replaceAll("/$", "");
        DeletionVectorBlobs blobs = new DeletionVectorBlobs(location, new LocalFileStorage());
        String data = location + "/part-0.parquet";
        JsonNode dv = inline(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 2);

        DeleteFile first = blobs.write(dv, data, 3, PartitionSpec.unpartitioned(), null);
        Path puffin = Path.of(java.net.URI.create(first.location()));
        byte[] written = Files.readAllBytes(puffin);
        DeleteFile again = blobs.write(dv, data, 3, PartitionSpec.unpartitioned(), null);
        assertThat(again.location()).isEqualTo(first.location());
        assertThat(again.contentOffset()).isEqualTo(first.contentOffset());
        assertThat(again.contentSizeInBytes()).isEqualTo(first.contentSizeInBytes());
        assertThat(Files.readAllBytes(puffin)).isEqualTo(written);

        // another vector for the same file and version is not this one: refused, the file untouched
        JsonNode other = inline(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, 2);
        assertThatThrownBy(() -> blobs.write(other, data, 3, PartitionSpec.unpartitioned(), null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("other bytes");
        assertThat(Files.readAllBytes(puffin)).isEqualTo(written);
    }
}
