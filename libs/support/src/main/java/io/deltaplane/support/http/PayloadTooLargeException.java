package io.deltaplane.support.http;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import org.springframework.http.HttpStatus;

/** A request body grew past the configured limit while it was being read. */
public final class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException(long limitBytes) {
        super(
                HttpStatus.CONTENT_TOO_LARGE,
                ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body is larger than the limit of " + limitBytes + " bytes.");
    }
}
