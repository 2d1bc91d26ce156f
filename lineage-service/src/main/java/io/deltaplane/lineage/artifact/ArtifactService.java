package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Uploads and downloads of artifacts (run logs and other files), streamed end to end. */
@Service
public class ArtifactService {

    private static final Logger log = LoggerFactory.getLogger(ArtifactService.class);

    private final ArtifactStorage storage;
    private final ArtifactRepository artifacts;
    private final TransactionTemplate tx;
    private final Clock clock;

    public ArtifactService(ArtifactStorage storage, ArtifactRepository artifacts, TransactionTemplate tx, Clock clock) {
        this.storage = requireNonNull(storage, "storage");
        this.artifacts = requireNonNull(artifacts, "artifacts");
        this.tx = requireNonNull(tx, "tx");
        this.clock = requireNonNull(clock, "clock");
    }

    public record Uploaded(String uri, long size, String sha256) {}

    /** An artifact's row, and its bytes with their length as stored. */
    public record Download(ArtifactRepository.Artifact artifact, InputStream stream, long size) {}

    /**
     * Stage, publish, record — only the last step in a transaction. The bytes are staged with no
     * transaction open (a slow client holds no connection) and published, also outside any
     * transaction: on an object store that is the whole upload to the store (a gigabyte takes tens
     * of seconds), which held a pooled connection and an open transaction while it ran. The row is
     * then written in a short transaction under a per-URI lock, and only if the name still holds
     * this upload's bytes: when a concurrent upload replaced them in between, that upload writes
     * its own row under the same lock, so the last bytes in place and the row agree.
     *
     * <p>A crash after the bytes are in place and before the row leaves the name with the new bytes
     * and the row of the previous upload (or none: a 404 for a new name) until the name is uploaded
     * again; downloads take the length from the stored object, so they stay whole. The client got
     * no 201 and retries.
     */
    public Uploaded upload(ArtifactPath path, InputStream body, String contentType) {
        try (ArtifactStorage.Staged staged = storage.stage(path, body)) {
            return record(path, staged, publish(path, staged), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the staged bytes under the artifact's name; no transaction is open. */
    static ArtifactStorage.Placed publish(ArtifactPath path, ArtifactStorage.Staged staged) {
        try {
            return staged.publish();
        } catch (IOException e) {
            throw storeFailed("did not take the upload to " + path.uri(), NOTHING_CHANGED, e);
        }
    }

    /** The short transaction: the row, if the name still holds these bytes. */
    Uploaded record(
            ArtifactPath path, ArtifactStorage.Staged staged, ArtifactStorage.Placed placed, String contentType) {
        tx.executeWithoutResult(status -> {
            artifacts.lock(path.uri());
            if (stillThere(placed, path)) {
                artifacts.upsert(path, staged.size(), staged.sha256(), contentType, Times.now(clock));
            }
        });
        return new Uploaded(path.uri(), staged.size(), staged.sha256());
    }

    private static boolean stillThere(ArtifactStorage.Placed placed, ArtifactPath path) {
        try {
            return placed.stillThere();
        } catch (IOException e) {
            throw storeFailed(
                    "took the upload to " + path.uri() + " but could not confirm it",
                    "upload it again to be sure it is recorded",
                    e);
        }
    }

    /**
     * The artifact's row and its bytes. The length is the stored object's own, not the row's: the
     * two differ only after a crash between publishing and recording an upload, and the download
     * is then still whole.
     */
    public Download download(ArtifactPath path) {
        ArtifactRepository.Artifact artifact = artifacts.find(path.uri()).orElseThrow(() -> notFound(path));
        try {
            ArtifactStorage.Blob blob = storage.open(path).orElseThrow(() -> notFound(path));
            return new Download(artifact, blob.stream(), blob.size());
        } catch (IOException e) {
            throw storeFailed("could not be read for " + path.uri(), NOTHING_CHANGED, e);
        }
    }

    public boolean exists(String uri) {
        return artifacts.find(uri).isPresent();
    }

    private static final String NOTHING_CHANGED = "nothing was changed. Retry later";

    /**
     * The artifact store failed (unreachable, timed out, a connection cut midway) after its SDK's own
     * retries: 503, so a client knows to retry, rather than an "unexpected" 500. An interrupted
     * upload is never visible under its name, and no row is written.
     */
    private static ApiException storeFailed(String what, String advice, IOException cause) {
        log.warn("The artifact store {}", what, cause);
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The artifact store " + what + "; " + advice + ".");
    }

    private static ApiException notFound(ArtifactPath path) {
        return ApiException.notFound(ErrorCode.ARTIFACT_NOT_FOUND, "No artifact at " + path.uri() + ".");
    }
}
