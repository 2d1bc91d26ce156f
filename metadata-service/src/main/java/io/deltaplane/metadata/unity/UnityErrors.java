package io.deltaplane.metadata.unity;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Errors under {@code /api/2.1/unity-catalog} in Unity Catalog's shape: {@code error_code} from UC's
 * vocabulary ({@code NOT_FOUND}, {@code ALREADY_EXISTS}, {@code PERMISSION_DENIED}, …), {@code
 * message}, and {@code details} whose {@code google.rpc.ErrorInfo} reason is Deltaplane's own code
 * ({@code TABLE_NOT_FOUND}, say). The problem document's {@code status}, {@code detail} and
 * {@code request_id} stay, so our CLI reads both surfaces alike. Every error any handler makes
 * passes here, whichever exception produced it.
 */
@ControllerAdvice
public class UnityErrors implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(
            Object body,
            MethodParameter returnType,
            MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType,
            ServerHttpRequest request,
            ServerHttpResponse response) {
        if (!(body instanceof ProblemDetail problem) || !(request instanceof ServletServerHttpRequest servlet)) {
            return body;
        }
        String path = path(servlet.getServletRequest());
        if (path.startsWith(UnityCatalogApi.DELTA_V1 + "/")) {
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            return deltaError(problem);
        }
        if (!path.startsWith(UnityCatalogApi.BASE + "/")) {
            return body;
        }
        String ours = problem.getProperties() == null
                ? null
                : String.valueOf(problem.getProperties().get("error_code"));
        String message = problem.getDetail() == null ? problem.getTitle() : problem.getDetail();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error_code", unityCode(problem.getStatus()));
        error.put("message", message);
        error.put("details", List.of(Map.of("@type", "google.rpc.ErrorInfo", "reason", ours, "metadata", Map.of())));
        error.put("status", problem.getStatus());
        error.put("detail", message);
        if (problem.getProperties() != null) {
            problem.getProperties().forEach((key, value) -> {
                if (!key.equals("error_code")) {
                    error.putIfAbsent(key, value);
                }
            });
        }
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return error;
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /**
     * The Delta REST API's error shape, {@code {"error": {"message", "type", "code"}}}: engines
     * act on the status (409 rebase, 400 give up, 404 no such table) and show the message.
     */
    static Map<String, Object> deltaError(ProblemDetail problem) {
        String ours = problem.getProperties() == null
                ? ""
                : String.valueOf(problem.getProperties().get("error_code"));
        String type = switch (problem.getStatus()) {
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
            default -> problem.getStatus() >= 500 ? "InternalServerErrorException" : "BadRequestException";
        };
        String message = problem.getDetail() == null ? problem.getTitle() : problem.getDetail();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("code", problem.getStatus());
        error.put("error_code", ours);
        if (problem.getProperties() != null && problem.getProperties().get("request_id") != null) {
            error.put("request_id", problem.getProperties().get("request_id"));
        }
        return Map.of("error", error);
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
