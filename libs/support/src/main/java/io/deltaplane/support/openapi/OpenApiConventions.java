package io.deltaplane.support.openapi;

import io.deltaplane.support.problem.Problems;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.http.HttpStatus;

/**
 * What every Deltaplane OpenAPI document declares, whatever the service: the API-key security
 * schemes (so Swagger UI's "Authorize" and try-it-out work, also through the gateway), the
 * problem+json schema on every error status, and a relative server so the document is the same on
 * every port and host (the committed contract must not depend on where it was generated).
 */
public final class OpenApiConventions implements GlobalOpenApiCustomizer {

    public static final String BEARER_SCHEME = "bearerAuth";
    public static final String HEADER_SCHEME = "apiKeyHeader";
    public static final String PROBLEM_SCHEMA = "Problem";
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final String DEFAULT_TITLE = "OpenAPI definition";

    /** Statuses every authenticated operation may answer. */
    private static final List<Integer> ALWAYS = List.of(400, 401, 403, 404, 429, 500, 503);
    /** Added for operations that change state. */
    private static final List<Integer> MUTATIONS = List.of(409, 413);

    private final String service;

    public OpenApiConventions(String service) {
        this.service = service == null || service.isBlank() ? "deltaplane" : service;
    }

    @Override
    public void customise(OpenAPI api) {
        if (api.getInfo() == null || DEFAULT_TITLE.equals(api.getInfo().getTitle())) {
            api.setInfo(new Info()
                    .title("Deltaplane " + service + " API")
                    .version("v1")
                    .description("Deltaplane's " + service + ". Authenticate with an API key"
                            + " (`Authorization: Bearer YOUR_KEY`, or `X-API-Key: YOUR_KEY`): click"
                            + " Authorize and paste it. Errors are RFC 9457"
                            + " application/problem+json with error_code and request_id."));
        }
        api.setServers(List.of(new Server()
                .url("/")
                .description("Relative: the gateway that served this document, or the service itself")));
        Components components = api.getComponents() == null ? new Components() : api.getComponents();
        api.setComponents(components);
        components.addSecuritySchemes(
                BEARER_SCHEME,
                new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An API key: Authorization: Bearer <key>"));
        components.addSecuritySchemes(
                HEADER_SCHEME,
                new SecurityScheme()
                        .type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER)
                        .name("X-API-Key")
                        .description("The same API key in the X-API-Key header"));
        components.addSchemas(PROBLEM_SCHEMA, problemSchema());
        api.setSecurity(List.of(
                new SecurityRequirement().addList(BEARER_SCHEME), new SecurityRequirement().addList(HEADER_SCHEME)));
        if (api.getPaths() != null) {
            // the servlet error page (answered with problem+json) is not an operation of the API
            api.getPaths().remove("/error");
            api.getPaths().forEach((path, item) -> {
                addProblemResponses(item);
                item.readOperationsMap().forEach((method, operation) -> name(path, method, operation));
            });
            if (api.getTags() != null) {
                api.getTags().removeIf(tag -> tag.getName().endsWith("-controller"));
            }
        }
    }

    /**
     * Names operations after their method and path ({@code POST /api/v1/tables/{full_name}/commits}
     * is {@code postTablesByFullNameCommits}) and tags them by path family ({@code tables}), so the
     * generated client's classes and methods do not change when a controller is renamed or another
     * operation with the same Java method name appears.
     */
    static void name(String path, PathItem.HttpMethod method, Operation operation) {
        String[] segments =
                path.replaceFirst("^/api/v1/", "").replaceFirst("^/", "").split("/");
        StringBuilder id = new StringBuilder(method.name().toLowerCase(Locale.ROOT));
        for (String segment : segments) {
            if (segment.isEmpty()) {
                continue;
            }
            boolean variable = segment.startsWith("{") && segment.endsWith("}");
            id.append(variable ? "By" : "")
                    .append(pascal(variable ? segment.substring(1, segment.length() - 1) : segment));
        }
        operation.setOperationId(id.toString());
        boolean defaultTags = operation.getTags() == null
                || operation.getTags().isEmpty()
                || operation.getTags().stream().allMatch(tag -> tag.endsWith("-controller"));
        if (defaultTags && segments.length > 0 && !segments[0].isEmpty()) {
            operation.setTags(List.of(segments[0].startsWith("v3") ? "docs" : segments[0]));
        }
    }

    private static String pascal(String text) {
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : text.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static void addProblemResponses(PathItem item) {
        item.readOperationsMap().forEach((method, operation) -> {
            boolean mutation = method != PathItem.HttpMethod.GET
                    && method != PathItem.HttpMethod.HEAD
                    && method != PathItem.HttpMethod.OPTIONS;
            addProblemResponses(operation, mutation);
        });
    }

    private static void addProblemResponses(Operation operation, boolean mutation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.setResponses(responses);
        Map<String, ApiResponse> sorted = new LinkedHashMap<>(responses);
        // Errors a service documented itself keep their description but use the one problem schema;
        // successes declared for any media type are JSON (what every endpoint produces by default).
        sorted.forEach((code, response) -> {
            if (!isError(code)
                    && response.getContent() != null
                    && response.getContent().size() == 1) {
                MediaType any = response.getContent().get("*/*");
                if (any != null) {
                    response.setContent(new Content().addMediaType("application/json", any));
                }
            }
            if (isError(code)) {
                response.setContent(problemContent(Integer.parseInt(code)));
                if (response.getDescription() == null
                        || response.getDescription().isBlank()) {
                    response.setDescription(reason(Integer.parseInt(code)));
                }
            }
        });
        for (int status : ALWAYS) {
            responses.computeIfAbsent(Integer.toString(status), code -> problemResponse(status));
        }
        if (mutation) {
            for (int status : MUTATIONS) {
                responses.computeIfAbsent(Integer.toString(status), code -> problemResponse(status));
            }
        }
    }

    private static boolean isError(String code) {
        return code.length() == 3
                && (code.startsWith("4") || code.startsWith("5"))
                && code.chars().allMatch(Character::isDigit);
    }

    private static ApiResponse problemResponse(int status) {
        return new ApiResponse().description(reason(status)).content(problemContent(status));
    }

    private static Content problemContent(int status) {
        String code = Problems.defaultCode(status);
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", Problems.TYPE_BASE + code.toLowerCase().replace('_', '-'));
        example.put("title", reason(status));
        example.put("status", status);
        example.put("detail", "What went wrong, for a human.");
        example.put("error_code", code);
        example.put("request_id", "3f1c2b9e-6d1a-4c1e-9a52-0c5d2b7e8f10");
        return new Content()
                .addMediaType(
                        PROBLEM_JSON,
                        new MediaType()
                                .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA))
                                .example(example));
    }

    private static String reason(int status) {
        HttpStatus resolved = HttpStatus.resolve(status);
        return resolved == null ? "Error" : resolved.getReasonPhrase();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema problem = new ObjectSchema()
                .description("RFC 9457 problem details, as every Deltaplane error is answered. Extra members"
                        + " carry details, e.g. current_version on VERSION_CONFLICT.")
                .addProperty(
                        "type",
                        new StringSchema()
                                .format("uri")
                                .example(Problems.TYPE_BASE + "version-conflict")
                                .description("Identifies the kind of problem"))
                .addProperty("title", new StringSchema().example("Conflict").description("Short summary"))
                .addProperty("status", new IntegerSchema().example(409).description("The HTTP status"))
                .addProperty("detail", new StringSchema().description("What went wrong, for a human"))
                .addProperty("instance", new StringSchema().format("uri").description("The request path"))
                .addProperty(
                        "error_code",
                        new StringSchema()
                                .example("VERSION_CONFLICT")
                                .description("Stable, machine-readable error code"))
                .addProperty(
                        "request_id",
                        new StringSchema().description("The request's X-Request-Id; quote it when reporting"));
        problem.setRequired(List.of("type", "title", "status", "error_code", "request_id"));
        problem.setAdditionalProperties(Boolean.TRUE);
        return problem;
    }
}
