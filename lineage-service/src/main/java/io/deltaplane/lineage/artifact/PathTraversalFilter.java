package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Rejects request paths that try to climb out of where they point, before the container's path
 * normalisation hides the attempt: {@code ..} or {@code .} segments, also percent-encoded (once or
 * twice), backslashes, NUL and other control characters. No endpoint of this service has such a
 * path legitimately; artifact names are checked again by {@link ArtifactPath}.
 */
public final class PathTraversalFilter extends OncePerRequestFilter {

    private static final int MAX_DECODE_ROUNDS = 3;

    private final HandlerExceptionResolver problemRenderer;

    public PathTraversalFilter(HandlerExceptionResolver problemRenderer) {
        this.problemRenderer = requireNonNull(problemRenderer, "problemRenderer");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (hostile(request.getRequestURI())) {
            problemRenderer.resolveException(
                    request,
                    response,
                    null,
                    ApiException.badRequest(
                            ErrorCode.INVALID_PATH,
                            "The request path contains '.', '..', a backslash or a control character."));
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean hostile(String rawPath) {
        if (rawPath == null) {
            return false;
        }
        String path = rawPath;
        for (int round = 0; round <= MAX_DECODE_ROUNDS; round++) {
            if (badCharacters(path) || dotSegment(path)) {
                return true;
            }
            String decoded;
            try {
                decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return true; // a broken escape is no legitimate path either
            }
            if (decoded.equals(path)) {
                return false;
            }
            path = decoded;
        }
        return true;
    }

    private static boolean badCharacters(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static boolean dotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
