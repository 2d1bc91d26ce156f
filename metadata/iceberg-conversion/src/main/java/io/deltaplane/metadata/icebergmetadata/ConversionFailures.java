package io.deltaplane.metadata.icebergmetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.springframework.dao.DataAccessException;

/**
 * Which conversion failures may pass: storage or the database out of reach, or replicas racing on
 * the pointer, are transient (a retry may succeed, so a load may answer the last good metadata for
 * a bounded time); every other failure is the table's own (a value that does not parse, metadata
 * Iceberg refuses) and converting again gives the same answer, so a load is refused by name at once.
 */
final class ConversionFailures {

    private ConversionFailures() {}

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException
                    || cause instanceof UncheckedIOException
                    || cause instanceof RuntimeIOException
                    || cause instanceof DataAccessException
                    || cause instanceof CommitFailedException) {
                return true;
            }
        }
        return false;
    }
}
