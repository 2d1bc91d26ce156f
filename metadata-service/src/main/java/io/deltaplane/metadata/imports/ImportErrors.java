package io.deltaplane.metadata.imports;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;

/** The {@code error_code}s of import: aliases of {@link ErrorCode}, kept for branches still using them. */
@Deprecated
public final class ImportErrors {
    public static final String NOT_A_DELTA_TABLE = "NOT_A_DELTA_TABLE";
    public static final String UNSUPPORTED_DELTA_PROTOCOL = "UNSUPPORTED_DELTA_PROTOCOL";
    public static final String DELTA_LOG_UNREADABLE = "DELTA_LOG_UNREADABLE";
    public static final String DELTA_HISTORY_INCOMPLETE = "DELTA_HISTORY_INCOMPLETE";

    private ImportErrors() {}

    static ApiException unprocessable(ErrorCode code, String detail) {
        return new ApiException(code, detail);
    }
}
