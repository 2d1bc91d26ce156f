package io.deltaplane.support.http;

import io.deltaplane.support.problem.Problems;
import io.deltaplane.support.request.RequestIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error page, for requests it refuses before any filter runs (a malformed
 * percent-encoding, an encoded slash, a method it will not serve, headers over the limit, a body
 * shorter than its Content-Length): problem+json with a request id, like every other error of the
 * platform, instead of Tomcat's HTML page with its version in it.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

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
        String body = "{\"type\":\"" + Problems.TYPE_BASE
                + code.toLowerCase(Locale.ROOT).replace('_', '-')
                + "\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"The server could not read this request as HTTP it accepts ("
                + title.toLowerCase(Locale.ROOT)
                + ").\",\"error_code\":\"" + code + "\",\"request_id\":\"" + requestId + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(RequestIds.HEADER, requestId);
            response.getWriter().write(body);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the response was committed meanwhile: nothing more to say.
        }
    }
}
