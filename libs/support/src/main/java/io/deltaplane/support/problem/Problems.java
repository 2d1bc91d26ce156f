package io.deltaplane.support.problem;

import io.deltaplane.support.request.RequestIds;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the problem documents every Deltaplane error uses. */
public final class Problems {

    /** Base of the {@code type} URIs; the error code is appended in kebab case. */
    public static final String TYPE_BASE = "https://deltaplane.io/problems/";

    private Problems() {}

    public static ProblemDetail of(ErrorCode code, String detail) {
        return of(code.status(), code.code(), detail, Map.of());
    }

    public static ProblemDetail of(HttpStatusCode status, ErrorCode code, String detail) {
        return of(status, code.code(), detail, Map.of());
    }

    public static ProblemDetail of(HttpStatusCode status, String errorCode, String detail) {
        return of(status, errorCode, detail, Map.of());
    }

    public static ProblemDetail of(
            HttpStatusCode status, String errorCode, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        decorate(problem, errorCode);
        properties.forEach(problem::setProperty);
        return problem;
    }

    /** Adds {@code type}, {@code error_code} and {@code request_id} to a problem built elsewhere. */
    public static ProblemDetail decorate(ProblemDetail problem, String errorCode) {
        problem.setType(URI.create(TYPE_BASE + errorCode.toLowerCase().replace('_', '-')));
        problem.setProperty("error_code", errorCode);
        problem.setProperty("request_id", RequestIds.current());
        return problem;
    }

    /** The error code that fits a status when nothing more specific is known. */
    public static String defaultCode(int status) {
        return ErrorCode.forStatus(status).code();
    }
}
