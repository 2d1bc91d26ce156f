package io.deltaplane.lineage.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.lineage.LineageServiceTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two uploads of one name whose steps interleave, now that publishing runs outside the recording
 * transaction: the earlier upload's bytes are replaced by the later's before the earlier is
 * recorded. Whichever records first, the row ends up describing the bytes left in place (the
 * later upload), and both uploads answer as stored — as if they had run one after the other.
 * The service's own steps on the running app's store and database (the local directory here;
 * the tags on S3 and Azure are {@code StorageContract}'s).
 */
@LineageServiceTest
class ArtifactUploadRaceTest {

    @Autowired
    ArtifactService service;

    @Autowired
    ArtifactStorage storage;

    @Autowired
    ArtifactRepository artifacts;

    @Test
    void anUploadReplacedBeforeItIsRecordedLeavesTheRowToTheLaterWhicheverRecordsFirst() throws Exception {
        for (boolean laterRecordsFirst : new boolean[] {true, false}) {
            ArtifactPath path = ArtifactPath.of("race", "/report-" + laterRecordsFirst + ".txt");
            try (ArtifactStorage.Staged earlier = storage.stage(path, text("earlier"));
                    ArtifactStorage.Staged later = storage.stage(path, text("later"))) {
                ArtifactStorage.Placed earlierPlaced = ArtifactService.publish(path, earlier);
                ArtifactStorage.Placed laterPlaced = ArtifactService.publish(path, later);

                if (laterRecordsFirst) {
                    service.record(path, later, laterPlaced, "text/plain");
                    assertThat(service.record(path, earlier, earlierPlaced, "text/plain")
                                    .sha256())
                            .isEqualTo(earlier.sha256());
                } else {
                    service.record(path, earlier, earlierPlaced, "text/plain");
                    service.record(path, later, laterPlaced, "text/plain");
                }

                assertThat(artifacts.find(path.uri()).orElseThrow().sha256())
                        .as("the row, %s recording first", laterRecordsFirst ? "later" : "earlier")
                        .isEqualTo(later.sha256());
                ArtifactService.Download download = service.download(path);
                try (InputStream in = download.stream()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("later");
                }
                assertThat(download.size()).isEqualTo(later.size());
            }
        }
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
