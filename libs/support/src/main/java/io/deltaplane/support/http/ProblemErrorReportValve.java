package io.deltaplane.support.http;

import io.deltaplane.support.problem.Problems;
import io.deltaplane.support.request.RequestIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error page, for requests it refuses before any filter runs (a malformed
 * percent-encoding, an encoded slash, a method it will not serve, headers over the limit, a body
 * shorter than its Content-Length): problem+json with a request id, like every other error of the
 * platform, instead of Tomcat's HTML page with its version in it; on Unity Catalog's surface, in
 * its error shapes ({@link UnityCatalogErrors}).
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The path as the request line gave it (Tomcat may have refused to decode it). */
    private static String requestPath(Request request) {
        try {
            String uri = request.getCoyoteRequest().requestURI().toString();
            return uri == null ? "" : uri;
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String requestId = request.getHeader(RequestIds.HEADER);
        if (!RequestIds.isValid(requestId)) {
            requestId = RequestIds.generate();
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        String title = resolved == null ? "Error" : resolved.getReasonPhrase();
        String code = Problems.defaultCode(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", Problems.TYPE_BASE + code.toLowerCase(Locale.ROOT).replace('_', '-'));
        problem.put("title", title);
        problem.put("status", status);
        problem.put(
                "detail",
                "The server could not read this request as HTTP it accepts (" + title.toLowerCase(Locale.ROOT) + ").");
        problem.put("error_code", code);
        problem.put("request_id", requestId);
        // On Unity Catalog's surface, its shapes, as UnityCatalogErrors gives every other error there.
        String path = requestPath(request);
        boolean unity = path.startsWith(UnityCatalogErrors.BASE + "/");
        Object shaped = !unity
                ? problem
                : path.startsWith(UnityCatalogErrors.DELTA_V1 + "/")
                        ? UnityCatalogErrors.deltaError(JSON.valueToTree(problem))
                        : UnityCatalogErrors.unityError(JSON.valueToTree(problem));
        String body = JSON.writeValueAsString(shaped);
        try {
            response.setContentType(unity ? "application/json" : "application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(RequestIds.HEADER, requestId);
            response.getWriter().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the response was committed meanwhile: nothing more to say.
        }
    }
}
