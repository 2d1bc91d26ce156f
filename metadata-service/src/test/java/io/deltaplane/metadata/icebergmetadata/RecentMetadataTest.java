package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.TableMetadata;
import org.junit.jupiter.api.Test;

/**
 * The recent Iceberg metadata is bounded by the snapshots it holds: busy tables' metadata, each
 * holding its whole kept history, no longer fills the heap however many versions are read.
 */
class RecentMetadataTest {

    @Test
    void theMetadataKeptHoldsAtMostTheBoundsSnapshotsAndTheNewestIsKept() {
        RecentMetadata recent = new RecentMetadata(1_000);
        TableMetadata history = IcebergHistories.table(2, 300); // 301 with its own weight
        List<String> loaded = new ArrayList<>();
        for (int version = 0; version < 10; version++) {
            String location = "file:/tables/t/_iceberg/metadata/" + version + ".metadata.json";
            assertThat(recent.read(location, at -> {
                        loaded.add(at);
                        return history;
                    }))
                    .isSameAs(history);
            // three of them fit (903); a count of 256 metadata files would have kept all ten (3,010)
            assertThat(recent.weight()).as("after reading %d", version + 1).isLessThanOrEqualTo(1_000);
        }
        assertThat(loaded).hasSize(10);
        assertThat(recent.weight()).as("the newest three kept").isEqualTo(3 * 301);
        // the newest is read from the cache, the oldest again from its file
        recent.read("file:/tables/t/_iceberg/metadata/9.metadata.json", at -> {
            loaded.add(at);
            return history;
        });
        assertThat(loaded).hasSize(10);
        recent.read("file:/tables/t/_iceberg/metadata/0.metadata.json", at -> {
            loaded.add(at);
            return history;
        });
        assertThat(loaded).hasSize(11).last().isEqualTo("file:/tables/t/_iceberg/metadata/0.metadata.json");
    }

    @Test
    void aMetadataHeavierThanTheWholeBoundIsReadEachTimeAndNotKept() {
        RecentMetadata recent = new RecentMetadata(100);
        TableMetadata history = IcebergHistories.table(2, 300);
        int[] reads = {0};
        for (int i = 0; i < 3; i++) {
            assertThat(recent.read("file:/tables/t/m.json", at -> {
                        reads[0]++;
                        return history;
                    }))
                    .isSameAs(history);
        }
        assertThat(reads[0]).isEqualTo(3);
        assertThat(recent.weight()).isZero();
    }
}
