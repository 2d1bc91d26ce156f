package io.deltaplane.support.http;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * In a process that runs background jobs only ({@code deltaplane.process.api=false}: the chart's
 * {@code metadataWorker} pods), every request but the actuator's (health probes, metrics) is a 404
 * problem, before authentication: such a pod is in no Service, and one reached by its address
 * serves nothing.
 */
public final class ApiOffFilter extends OncePerRequestFilter {

    private final HandlerExceptionResolver problemRenderer;

    public ApiOffFilter(HandlerExceptionResolver problemRenderer) {
        this.problemRenderer = problemRenderer;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator") || path.startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        problemRenderer.resolveException(
                request,
                response,
                null,
                new ApiException(
                        ErrorCode.NOT_FOUND,
                        "This process runs the service's background jobs only (deltaplane.process.api=false);"
                                + " the service's other pods answer its API."));
    }
}
