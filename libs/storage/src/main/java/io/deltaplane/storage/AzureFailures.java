package io.deltaplane.storage;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** What a failed Blob service call means: no such blob, a refused condition, or a transport failure. */
final class AzureFailures {

    private static final int NOT_FOUND = 404;
    private static final int CONFLICT = 409;
    private static final int PRECONDITION_FAILED = 412;

    private AzureFailures() {}

    /** The blob (or, for a listing, the container) is not there. */
    static boolean notFound(BlobStorageException e) {
        return e.getStatusCode() == NOT_FOUND;
    }

    /** Put Blob and Put Block List refuse an existing blob under If-None-Match: * with 409 or 412. */
    static boolean conditionFailed(BlobStorageException e) {
        return e.getStatusCode() == PRECONDITION_FAILED
                || e.getStatusCode() == CONFLICT && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode());
    }

    /**
     * A request that failed in transport after the SDK's retries (a connection reset or timed out):
     * the sync client throws it unchecked — reactor's {@code ReactiveException} or an {@code
     * UncheckedIOException} around the {@link IOException} — where callers expect an {@link
     * IOException} (an artifact upload answers 503 on one, not 500). Anything else is rethrown.
     */
    static IOException transportFailure(String what, RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return new IOException(what, e);
            }
        }
        throw e;
    }
}
