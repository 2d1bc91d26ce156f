package io.deltaplane.support.idempotency;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses an {@code Idempotency-Key} that is not 1 to 255 printable ASCII characters, in every app
 * and at the gateway, so a key no service could store never travels on (a key of bytes outside
 * ASCII, or of 10,000 characters, is a 400 where the request enters).
 */
public final class IdempotencyKeyFormat extends OncePerRequestFilter {

    private static final Pattern VALID_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final HandlerExceptionResolver problemRenderer;

    public IdempotencyKeyFormat(HandlerExceptionResolver problemRenderer) {
        this.problemRenderer = requireNonNull(problemRenderer, "problemRenderer");
    }

    /** Whether {@code key} is one the platform stores. */
    public static boolean isValid(String key) {
        return key != null && VALID_KEY.matcher(key).matches();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getHeader(IdempotencyFilter.HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!isValid(request.getHeader(IdempotencyFilter.HEADER))) {
            problemRenderer.resolveException(
                    request,
                    response,
                    null,
                    new ApiException(
                            HttpStatus.BAD_REQUEST,
                            ErrorCode.BAD_REQUEST,
                            "Idempotency-Key must be 1 to 255 printable ASCII characters."));
            return;
        }
        chain.doFilter(request, response);
    }
}
