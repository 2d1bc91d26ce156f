package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
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

    public record Download(ArtifactRepository.Artifact artifact, InputStream stream) {}

    public Uploaded upload(ArtifactPath path, InputStream body, String contentType) {
        // The bytes are staged with no transaction open (a slow client holds no connection); the
        // finished file is moved into place and recorded under a per-URI lock.
        try (ArtifactStorage.Staged staged = storage.stage(path, body)) {
            return tx.execute(status -> {
                artifacts.lock(path.uri());
                try {
                    staged.publish();
                } catch (IOException e) {
                    throw storeFailed("did not take the upload to " + path.uri(), e);
                }
                artifacts.upsert(path, staged.size(), staged.sha256(), contentType, Times.now(clock));
                return new Uploaded(path.uri(), staged.size(), staged.sha256());
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Download download(ArtifactPath path) {
        ArtifactRepository.Artifact artifact = artifacts.find(path.uri()).orElseThrow(() -> notFound(path));
        try {
            Optional<ArtifactStorage.Blob> blob = storage.open(path);
            return new Download(artifact, blob.orElseThrow(() -> notFound(path)).stream());
        } catch (IOException e) {
            throw storeFailed("could not be read for " + path.uri(), e);
        }
    }

    public boolean exists(String uri) {
        return artifacts.find(uri).isPresent();
    }

    /**
     * The artifact store failed (unreachable, timed out, a connection cut midway) after its SDK's own
     * retries: 503, so a client knows to retry, rather than an "unexpected" 500. Nothing changed:
     * an interrupted upload is never visible under its name, and the transaction rolls back.
     */
    private static ApiException storeFailed(String what, IOException cause) {
        log.warn("The artifact store {}", what, cause);
        return new ApiException(
                ErrorCode.SERVICE_UNAVAILABLE, "The artifact store " + what + "; nothing was changed. Retry later.");
    }

    private static ApiException notFound(ArtifactPath path) {
        return ApiException.notFound(ErrorCode.ARTIFACT_NOT_FOUND, "No artifact at " + path.uri() + ".");
    }
}
