package io.deltaplane.support.http;

import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Errors under {@code /api/2.1/unity-catalog} in Unity Catalog's shapes, whatever made them (a
 * handler, the body-size and NUL checks, authentication): on UC's API {@code error_code} from UC's
 * vocabulary ({@code NOT_FOUND}, {@code ALREADY_EXISTS}, {@code PERMISSION_DENIED}, …), {@code
 * message}, and {@code details} whose {@code google.rpc.ErrorInfo} reason is Deltaplane's own code
 * ({@code TABLE_NOT_FOUND}, say), keeping the problem document's {@code status}, {@code detail} and
 * {@code request_id} so our CLI reads both surfaces alike; on the Delta REST API ({@code /delta/v1})
 * and the Iceberg REST catalog ({@code /iceberg/v1}) {@code {"error": {"message", "type", "code"}}}. A filter outside all the others: every problem
 * document those write on this surface is rewritten here (they are small; nothing streams). Every
 * app registers it, so the gateway's own refusals on these paths have the same shapes.
 */
public final class UnityCatalogErrors extends OncePerRequestFilter implements Ordered {

    /** Unity Catalog's API, as the gateway routes it and metadata-service serves it. */
    public static final String BASE = "/api/2.1/unity-catalog";

    /** Its Delta REST API v1, with the Delta error shape. */
    public static final String DELTA_V1 = BASE + "/delta/v1";

    /** The Iceberg REST catalog (clients append {@code /v1/...}), with Iceberg's {@code ErrorModel}. */
    public static final String ICEBERG = BASE + "/iceberg";

    /** After the request id is set, before every filter that may answer a problem. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Codes of Unity Catalog's own vocabulary that a handler answers as they are, because UC's
     * server answers them so (a rename onto a taken name: 400 with these, not INVALID_ARGUMENT).
     */
    private static final Set<String> UNITY_OWN_CODES = Stream.of(
                    ErrorCode.CATALOG_ALREADY_EXISTS,
                    ErrorCode.SCHEMA_ALREADY_EXISTS,
                    ErrorCode.TABLE_ALREADY_EXISTS,
                    ErrorCode.RESOURCE_ALREADY_EXISTS,
                    // UC's server names what is missing when it is a catalog, a schema or a table
                    ErrorCode.CATALOG_NOT_FOUND,
                    ErrorCode.SCHEMA_NOT_FOUND,
                    ErrorCode.TABLE_NOT_FOUND)
            .map(ErrorCode::code)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * A create onto a taken name, by the collection created in: UC's server answers 400 with its
     * own code for each (its {@code ErrorCode}: {@code CATALOG_ALREADY_EXISTS}, …), a registered
     * model alone 409 {@code ALREADY_EXISTS}.
     */
    private static final Map<String, String> TAKEN_ON_CREATE = Map.of(
            BASE + "/catalogs", "CATALOG_ALREADY_EXISTS",
            BASE + "/schemas", "SCHEMA_ALREADY_EXISTS",
            BASE + "/tables", "TABLE_ALREADY_EXISTS",
            BASE + "/staging-tables", "TABLE_ALREADY_EXISTS",
            BASE + "/volumes", "RESOURCE_ALREADY_EXISTS",
            BASE + "/functions", "RESOURCE_ALREADY_EXISTS",
            BASE + "/credentials", "STORAGE_CREDENTIAL_ALREADY_EXISTS",
            BASE + "/external-locations", "EXTERNAL_LOCATION_ALREADY_EXISTS");

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !path(request).startsWith(BASE + "/");
    }

    /**
     * The error dispatch too: what Tomcat refuses before any filter (an encoded slash or NUL, a
     * header too large, a body shorter than declared, TRACE) reaches the error page, and on this
     * surface must be in this surface's shape as well.
     */
    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper wrapped = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, wrapped);
            String type = wrapped.getContentType();
            if (wrapped.getStatus() >= 400 && type != null && type.contains("problem+json")) {
                JsonNode problem = JSON.readTree(wrapped.getContentAsByteArray());
                String path = path(request);
                Map<String, Object> shaped;
                if (path.startsWith(DELTA_V1 + "/")) {
                    shaped = deltaError(problem);
                } else if (path.startsWith(ICEBERG + "/")) {
                    shaped = icebergError(problem, path);
                } else {
                    String taken = "POST".equals(request.getMethod())
                                    && ErrorCode.ALREADY_EXISTS
                                            .code()
                                            .equals(problem.path("error_code").asString(""))
                            ? TAKEN_ON_CREATE.get(path)
                            : null;
                    shaped = unityError(problem, taken);
                    if (taken != null) {
                        wrapped.setStatus(HttpStatus.BAD_REQUEST.value());
                    }
                }
                wrapped.resetBuffer();
                wrapped.setContentType(MediaType.APPLICATION_JSON_VALUE);
                wrapped.getOutputStream().write(JSON.writeValueAsBytes(shaped));
            }
        } finally {
            wrapped.copyBodyToResponse();
        }
    }

    /** The path asked for: on the error dispatch, the one that failed, not the error page's. */
    private static String path(HttpServletRequest request) {
        String uri = request.getDispatcherType() == DispatcherType.ERROR
                        && request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String failed
                ? failed
                : request.getRequestURI();
        return uri.startsWith(request.getContextPath())
                ? uri.substring(request.getContextPath().length())
                : uri;
    }

    static Map<String, Object> unityError(JsonNode problem) {
        return unityError(problem, null);
    }

    /** {@code takenCode}: UC's code for a create onto a taken name (its status then 400), else null. */
    static Map<String, Object> unityError(JsonNode problem, String takenCode) {
        int status = takenCode != null
                ? HttpStatus.BAD_REQUEST.value()
                : problem.path("status").asInt(500);
        String message = message(problem);
        String ours = problem.path("error_code").asString("");
        Map<String, Object> error = new LinkedHashMap<>();
        error.put(
                "error_code",
                takenCode != null ? takenCode : UNITY_OWN_CODES.contains(ours) ? ours : unityCode(status));
        error.put("message", message);
        error.put(
                "details",
                List.of(Map.of(
                        "@type",
                        "google.rpc.ErrorInfo",
                        "reason",
                        problem.path("error_code").asString(""),
                        "metadata",
                        Map.of())));
        error.put("status", status);
        error.put("detail", message);
        for (Map.Entry<String, JsonNode> member : problem.properties()) {
            if (!member.getKey().equals("error_code") && !member.getKey().equals("status")) {
                error.putIfAbsent(member.getKey(), member.getValue());
            }
        }
        return error;
    }

    /**
     * The Delta REST API's error shape, {@code {"error": {"message", "type", "code"}}}: engines
     * act on the status (409 rebase, 400 give up, 404 no such table) and show the message.
     */
    static Map<String, Object> deltaError(JsonNode problem) {
        int status = problem.path("status").asInt(500);
        String ours = problem.path("error_code").asString("");
        String type = switch (status) {
            case 400, 422 -> "InvalidParameterValueException";
            case 401 -> "NotAuthorizedException";
            case 403 -> "PermissionDeniedException";
            case 404 ->
                switch (ours) {
                    case "CATALOG_NOT_FOUND" -> "NoSuchCatalogException";
                    case "SCHEMA_NOT_FOUND" -> "NoSuchSchemaException";
                    case "TABLE_NOT_FOUND" -> "NoSuchTableException";
                    default -> "NotFoundException";
                };
            case 409 ->
                switch (ours) {
                    case "VERSION_CONFLICT" -> "CommitVersionConflictException";
                    case "REQUIREMENT_CONFLICT" -> "UpdateRequirementConflictException";
                    default -> "AlreadyExistsException";
                };
            case 429 -> "TooManyRequestsException";
            case 501 -> "NotImplementedException";
            default -> status >= 500 ? "InternalServerErrorException" : "BadRequestException";
        };
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message(problem));
        error.put("type", type);
        error.put("code", status);
        error.put("error_code", ours);
        if (problem.hasNonNull("request_id")) {
            error.put("request_id", problem.get("request_id"));
        }
        return Map.of("error", error);
    }

    /**
     * Iceberg's {@code ErrorModel}, {@code {"error": {"message", "type", "code"}}}, with the types
     * Iceberg's clients map to their exceptions ({@code NoSuchNamespaceException} on a namespace's
     * 404, {@code NoSuchTableException} on a table's, {@code ForbiddenException}, ...), and
     * Deltaplane's own code beside them.
     */
    static Map<String, Object> icebergError(JsonNode problem, String path) {
        int status = problem.path("status").asInt(500);
        String ours = problem.path("error_code").asString("");
        String type = switch (status) {
            case 400 -> "BadRequestException";
            case 401 -> "NotAuthorizedException";
            case 403 -> "ForbiddenException";
            case 404 ->
                switch (ours) {
                    case "SCHEMA_NOT_FOUND" -> "NoSuchNamespaceException";
                    case "TABLE_NOT_FOUND" -> "NoSuchTableException";
                    default -> path.contains("/views/") ? "NoSuchViewException" : "NotFoundException";
                };
            case 409 -> "AlreadyExistsException";
            case 422 -> "UnprocessableEntityException";
            case 429 -> "TooManyRequestsException";
            case 501 -> "UnsupportedOperationException";
            case 503 -> "ServiceUnavailableException";
            default -> status >= 500 ? "ServiceFailureException" : "BadRequestException";
        };
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message(problem));
        error.put("type", type);
        error.put("code", status);
        error.put("error_code", ours);
        if (problem.hasNonNull("request_id")) {
            error.put("request_id", problem.get("request_id"));
        }
        return Map.of("error", error);
    }

    private static String message(JsonNode problem) {
        return problem.hasNonNull("detail")
                ? problem.get("detail").asString()
                : problem.path("title").asString("");
    }

    /** Unity Catalog's code for a status (its ErrorCode enum, gRPC's canonical codes). */
    static String unityCode(int status) {
        return switch (status) {
            case 400, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ALREADY_EXISTS";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }
}
