package io.deltaplane.support.http;

import io.deltaplane.support.json.StrictJson;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.DatabaseOutage;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.InvalidField;
import io.deltaplane.support.problem.Problems;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every exception into RFC 9457 problem+json with {@code error_code} and {@code request_id}.
 * Clients never see a stack trace: unexpected errors are logged here and answered with a generic
 * 500.
 */
@RestControllerAdvice
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ProblemDetail> handleApiException(ApiException e) {
        ProblemDetail problem = Problems.of(e.status(), e.errorCode(), e.getMessage(), e.properties());
        return ResponseEntity.status(e.status()).headers(e.headers()).body(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<ProblemDetail> handleConstraintViolation(ConstraintViolationException e) {
        List<InvalidField> fields = e.getConstraintViolations().stream()
                .map(v -> new InvalidField(lastNodes(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(InvalidField::field))
                .toList();
        return handleApiException(InvalidField.problem(fields));
    }

    /** Bean Validation on a {@code @Valid} body: one entry per field, named as the JSON names it. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidField> fields = new java.util.ArrayList<>();
        ex.getBindingResult()
                .getFieldErrors()
                .forEach(f -> fields.add(new InvalidField(InvalidField.jsonName(f.getField()), message(f))));
        ex.getBindingResult()
                .getGlobalErrors()
                .forEach(g -> fields.add(new InvalidField(g.getObjectName(), message(g))));
        fields.sort(java.util.Comparator.comparing(InvalidField::field));
        return ResponseEntity.badRequest()
                .body(handleApiException(InvalidField.problem(fields)).getBody());
    }

    /** Bean Validation on parameters ({@code @Min} on {@code max_results}, say): one entry per parameter. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidField> fields = new java.util.ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors()
                    .forEach(error -> fields.add(new InvalidField(
                            InvalidField.jsonName(name == null ? "parameter" : name), message(error))));
        });
        fields.sort(java.util.Comparator.comparing(InvalidField::field));
        return ResponseEntity.badRequest()
                .body(handleApiException(InvalidField.problem(fields)).getBody());
    }

    private static String message(org.springframework.context.MessageSourceResolvable error) {
        String message = error.getDefaultMessage();
        return message == null ? "is invalid" : message;
    }

    // "record.arg0.tableName" → "table_name": the method and argument are Java's, not the client's.
    private static String lastNodes(String path) {
        int dot = path.lastIndexOf('.');
        return InvalidField.jsonName(dot < 0 ? path : path.substring(dot + 1));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<ProblemDetail> handleIllegalArgument(IllegalArgumentException e) {
        // Value objects reject bad input with IllegalArgumentException; its message is for the caller.
        return ResponseEntity.badRequest()
                .body(Problems.of(HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        if (DatabaseOutage.causedBy(e)) {
            log.warn("The database is unavailable: {}", e.toString());
            return DatabaseOutage.response();
        }
        if (brokenOffUpstream(e)) {
            // A service this one called died while answering (its connection closed mid-body): the
            // caller's to retry, outcome unknown — not a bug here.
            log.warn("An upstream service broke off its answer: {}", e.toString());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header("Retry-After", "1")
                    .body(Problems.of(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            ErrorCode.SERVICE_UNAVAILABLE,
                            "A service this request went to broke off its answer: the request may or may not"
                                    + " have taken effect. Retry it (with the same Idempotency-Key, a retried change"
                                    + " is applied once)."));
        }
        log.error("Unhandled error", e);
        return ResponseEntity.internalServerError()
                .body(Problems.of(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        ErrorCode.INTERNAL_ERROR,
                        "An unexpected error occurred; quote the request id when reporting it."));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(ex, PayloadTooLargeException.class)) {
            ProblemDetail problem = Problems.of(
                    HttpStatus.CONTENT_TOO_LARGE,
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "The request body is larger than this endpoint accepts.");
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
        }
        return ResponseEntity.badRequest().body(unreadable(ex));
    }

    /**
     * What was wrong with a body, in the API's terms: which field, and what it should have been —
     * never Jackson's or Spring's own text, which quotes Java types and method signatures.
     */
    static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof tools.jackson.databind.exc.MismatchedInputException
                || cause instanceof tools.jackson.databind.exc.InvalidFormatException
                || cause instanceof tools.jackson.databind.DatabindException) {
            String field = StrictJson.field((tools.jackson.core.JacksonException) cause);
            String detail = field.isEmpty()
                    ? "The request body does not have the shape this endpoint expects (a JSON object with its fields)."
                    : "Field '" + field + "' has the wrong type or value for this endpoint.";
            // MALFORMED_JSON as before for any body that cannot be bound (clients rely on the code).
            ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_JSON, detail);
            if (!field.isEmpty()) {
                problem.setProperty("field", field);
            }
            return problem;
        }
        if (cause instanceof tools.jackson.core.exc.StreamReadException read) {
            return Problems.of(
                    HttpStatus.BAD_REQUEST,
                    ErrorCode.MALFORMED_JSON,
                    "The request body is not valid JSON: " + firstLine(read.getOriginalMessage()));
        }
        if (cause == ex) {
            return Problems.of(HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_JSON, "A JSON request body is required.");
        }
        return Problems.of(HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_JSON, "The request body cannot be read.");
    }

    /** A date or time outside what can be represented or stored (year ±1,000,000,000, say). */
    /**
     * The HTTP client's own "the server closed the connection mid-answer" failures (Apache HttpClient
     * 5, which the gateway's proxy and the services' RestClients use): only outbound calls raise them.
     */
    private static boolean brokenOffUpstream(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.apache.hc.core5.http.ConnectionClosedException")
                    || name.equals("org.apache.hc.core5.http.NoHttpResponseException")) {
                return true;
            }
        }
        return false;
    }

    @ExceptionHandler(java.time.DateTimeException.class)
    public ResponseEntity<ProblemDetail> handleDateTime(java.time.DateTimeException e) {
        return ResponseEntity.badRequest()
                .body(Problems.of(
                        HttpStatus.BAD_REQUEST,
                        ErrorCode.BAD_REQUEST,
                        "A date or time is outside the range the platform stores (years 4713 BC to 294276 AD)."));
    }

    /**
     * Postgres refused a value as data (SQLSTATE class 22: a timestamp beyond what it stores, a
     * number out of range, a character it cannot hold): the request's fault, and the transaction
     * rolled back, so a 400 and nothing stored.
     */
    @ExceptionHandler(org.springframework.dao.DataAccessException.class)
    public ResponseEntity<ProblemDetail> handleDataAccess(org.springframework.dao.DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return ResponseEntity.badRequest()
                        .body(Problems.of(
                                HttpStatus.BAD_REQUEST,
                                ErrorCode.BAD_REQUEST,
                                "A value is outside what the platform can store (for example a timestamp beyond"
                                        + " what Postgres holds, or a number out of range)."));
            }
        }
        return handleUnexpected(e);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        // The body is often null here and made by the superclass from the exception.
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            Problems.decorate(problem, codeFor(ex, statusCode).code());
        }
        return response;
    }

    private static ErrorCode codeFor(Exception ex, HttpStatusCode status) {
        if (ex instanceof MethodArgumentNotValidException || ex instanceof HandlerMethodValidationException) {
            return ErrorCode.VALIDATION_FAILED;
        }
        if (ex instanceof NoResourceFoundException) {
            return ErrorCode.NOT_FOUND;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException) {
            return ErrorCode.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof HttpMediaTypeNotSupportedException) {
            return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return ErrorCode.NOT_ACCEPTABLE;
        }
        return ErrorCode.forStatus(status.value());
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
