package io.deltaplane.lineage;

import static io.deltaplane.lineage.Json.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.FaultyConnections;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts on an S3 store whose connections break mid-upload ({@link FaultyConnections} between
 * the service and S3Proxy): the client gets an error, the artifact's name keeps what it had (the
 * previous version, or nothing) — never part of the new bytes — and the same upload succeeds once
 * the store is back. The test reads the bucket directly, past the faulty link.
 */
class ArtifactUploadOnAFailingStoreTest extends ArtifactsOnS3TestBase {

    /** Every connection until healed: more than the SDK's retries, so the failure reaches the service. */
    private static final int EVERY_CONNECTION = 1000;

    private static final int PART = 8 * 1024 * 1024;

    @Test
    void anUploadCutMidwayIsAnErrorAndLeavesThePreviousVersionWhole() throws Exception {
        byte[] v1 = "version 1".getBytes();
        body(put("/api/v1/datasets/replaced/report.bin", v1), 201);
        byte[] v2 = random(2 * PART + 123, 1);

        FaultyConnections.Fault cut = link.cutAfter(PART / 2, EVERY_CONNECTION);
        HttpResponse<String> failed = put("/api/v1/datasets/replaced/report.bin", v2);

        assertThat(cut.fired()).as("connections cut").isPositive();
        assertStoreFailed(failed);
        link.heal();
        assertThat(keys("artifacts/replaced/")).containsExactly("artifacts/replaced/report.bin");
        assertThat(client.getObjectAsBytes(b -> b.bucket("lake").key("artifacts/replaced/report.bin"))
                        .asByteArray())
                .isEqualTo(v1);
        assertThat(get("/api/v1/datasets/replaced/report.bin").body()).isEqualTo(v1);

        assertUploaded(body(put("/api/v1/datasets/replaced/report.bin", v2), 201), v2);
        assertThat(get("/api/v1/datasets/replaced/report.bin").body()).isEqualTo(v2);
    }

    @Test
    void aNewArtifactCutMidwayLeavesNothingUnderItsName() throws Exception {
        byte[] content = random(PART + 4096, 2);

        FaultyConnections.Fault cut = link.cutAfter(PART / 2, EVERY_CONNECTION);
        HttpResponse<String> failed = put("/api/v1/datasets/cut/fresh.bin", content);

        assertThat(cut.fired()).isPositive();
        assertStoreFailed(failed);
        link.heal();
        assertThat(keys("artifacts/cut/fresh")).isEmpty();
        assertThat(get("/api/v1/datasets/cut/fresh.bin").statusCode()).isEqualTo(404);

        assertUploaded(body(put("/api/v1/datasets/cut/fresh.bin", content), 201), content);
        assertThat(get("/api/v1/datasets/cut/fresh.bin").body()).isEqualTo(content);
    }

    @Test
    void anUploadTheStoreStopsAnsweringFailsWithinTheTimeoutAndLeavesNothing() throws Exception {
        byte[] content = random(PART + 4096, 3);

        FaultyConnections.Fault stall = link.stallAfter(PART / 2, EVERY_CONNECTION);
        long started = System.nanoTime();
        HttpResponse<String> failed = put("/api/v1/datasets/stall/fresh.bin", content);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("stalled upload failed after " + took);

        assertThat(stall.fired()).isPositive();
        assertStoreFailed(failed);
        // A few three-second attempts and the SDK's backoff between them, not minutes.
        assertThat(took).isLessThan(Duration.ofSeconds(30));
        link.heal();
        assertThat(keys("artifacts/stall/")).isEmpty();
        assertThat(get("/api/v1/datasets/stall/fresh.bin").statusCode()).isEqualTo(404);

        assertUploaded(body(put("/api/v1/datasets/stall/fresh.bin", content), 201), content);
        assertThat(get("/api/v1/datasets/stall/fresh.bin").body()).isEqualTo(content);
    }

    /**
     * Publishing (the upload to the store: tens of seconds for a gigabyte) runs with no transaction
     * open: while a part's upload is held up by the store, the service holds no lock on the URI —
     * the per-URI lock is a transaction's, taken only to write the row. The stall takes the first two
     * connections to send half a part, the part's first two attempts (the listing and the start of
     * the multipart upload before them send far less, whichever connections they use); the SDK's
     * third attempt then goes through.
     */
    @Test
    void anUploadHeldUpByTheStoreHoldsNoTransactionMeanwhile() throws Exception {
        byte[] content = random(PART + 4096, 4);

        FaultyConnections.Fault stall = link.stallAfter(PART / 2, 2);
        CompletableFuture<HttpResponse<String>> upload = CompletableFuture.supplyAsync(() -> {
            try {
                return put("/api/v1/datasets/held/report.bin", content);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            stall.awaitFired(1, Duration.ofSeconds(30));
        } catch (IllegalStateException e) {
            HttpResponse<String> early = upload.getNow(null);
            throw new IllegalStateException(
                    e.getMessage() + "; the upload answered "
                            + (early == null ? "nothing yet" : early.statusCode() + " " + early.body()),
                    e);
        }

        String uri = io.deltaplane.lineage.artifact.ArtifactPath.of("held", "report.bin")
                .uri();
        assertThat(uriLocks(uri))
                .as("locks held on the URI while the store holds the upload")
                .isZero();
        // the positive control: the lock the upload takes to write its row is what the count sees
        Long whileHeld = new org.springframework.transaction.support.TransactionTemplate(transactions).execute(tx -> {
            jdbc.sql(io.deltaplane.lineage.artifact.ArtifactRepository.LOCK_URI)
                    .param("uri", uri)
                    .query((rs, n) -> 1)
                    .list();
            return uriLocks(uri);
        });
        assertThat(whileHeld)
                .as("the URI's lock, held in a transaction, counted")
                .isEqualTo(1L);
        assertUploaded(body(upload.get(), 201), content);
        assertThat(stall.fired()).as("attempts of the part held up").isEqualTo(2);
        assertThat(get("/api/v1/datasets/held/report.bin").body()).isEqualTo(content);
    }

    /**
     * Advisory locks held on one artifact URI's key ({@code ArtifactRepository.LOCK_URI}: a bigint
     * key, which pg_locks shows as its high and low 32 bits). Only that one: a background loop's
     * advisory lock (the audit chainer's, say) is not the upload's, and counting every lock of the
     * database failed a CI run on a busy machine.
     */
    private static final String URI_LOCKS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND classid = ((hashtextextended(:uri, 0) >> 32) & 4294967295)::oid"
            + " AND objid = (hashtextextended(:uri, 0) & 4294967295)::oid";

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    private long uriLocks(String uri) {
        return jdbc.sql(URI_LOCKS).param("uri", uri).query(Long.class).single();
    }

    @Autowired
    JdbcClient jdbc;

    /** Keys under {@code prefix}, read from S3Proxy directly (not through the faulty link). */
    private static java.util.List<String> keys(String prefix) {
        return client.listObjectsV2(b -> b.bucket("lake").prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
    }
}
