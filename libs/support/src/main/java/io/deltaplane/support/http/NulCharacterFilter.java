package io.deltaplane.support.http;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

/**
 * Refuses a JSON body with a NUL character ({@code \u0000}) in any string or field name, anywhere —
 * in a name, a comment, free-form metadata, stats, facets, batch items: Postgres can store NUL in
 * neither text nor jsonb, so such a body would fail deep inside a write, after the request was
 * accepted. A 400 problem names the field ({@code actions[0].add.stats}) and nothing is stored.
 * The body is read once here (it is already bounded by the body-size limit) and replayed.
 */
public final class NulCharacterFilter extends OncePerRequestFilter {

    private static final JsonFactory JSON = new JsonFactory();

    private final HandlerExceptionResolver problemRenderer;

    public NulCharacterFilter(HandlerExceptionResolver problemRenderer) {
        this.problemRenderer = problemRenderer;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null) {
            return true;
        }
        try {
            MediaType media = MediaType.parseMediaType(type);
            return !(media.getSubtype().equals("json") || media.getSubtype().endsWith("+json"));
        } catch (RuntimeException e) {
            return true; // an unreadable Content-Type is answered by MVC (415)
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body = request.getInputStream().readAllBytes();
        String field = nulField(body);
        if (field != null) {
            problemRenderer.resolveException(
                    request,
                    response,
                    null,
                    new ApiException(
                            ErrorCode.VALIDATION_FAILED,
                            "Field '" + field + "' contains a NUL character (\\u0000), which cannot be stored.",
                            Map.of("field", field)));
            return;
        }
        chain.doFilter(new ReplayedBody(request, body), response);
    }

    /** The path of the first string or name holding NUL, or null (also for bodies that are not JSON). */
    static String nulField(byte[] body) {
        if (!containsNulCandidate(body)) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(tools.jackson.core.ObjectReadContext.empty(), body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME)
                        && parser.getString().indexOf('\0') >= 0) {
                    String pointer = parser.streamReadContext().pathAsPointer().toString();
                    String path =
                            pointer.isEmpty() ? "(body)" : pointer.substring(1).replace('/', '.');
                    return token == JsonToken.PROPERTY_NAME ? path + " (its name)" : path;
                }
            }
        } catch (JacksonException e) {
            return null; // malformed JSON: MVC's reader answers it with its own 400
        }
        return null;
    }

    /** Cheap pre-check: a raw NUL byte or a {@code \u0000} escape somewhere in the bytes. */
    private static boolean containsNulCandidate(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                return true;
            }
            if (body[i] == '\\'
                    && i + 5 < body.length
                    && body[i + 1] == 'u'
                    && body[i + 2] == '0'
                    && body[i + 3] == '0'
                    && body[i + 4] == '0'
                    && body[i + 5] == '0') {
                return true;
            }
        }
        return false;
    }
}
