package io.deltaplane.support.security;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Security's answers in the platform's one error format (problem+json with {@code error_code} and
 * {@code request_id}), rendered by the same resolver as every other error: 400 for a path the
 * firewall refuses, 401 without a valid key, 403 for a key without the scope, 429 while an address
 * is locked out after failed authentications.
 */
public final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final HandlerExceptionResolver problemRenderer;

    public SecurityProblems(HandlerExceptionResolver problemRenderer) {
        this.problemRenderer = problemRenderer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) {
        boolean presented = ApiKeyRequests.presentedKey(request).isPresent();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        String detail;
        if (e instanceof OidcAuthenticationProvider.OidcTokenRefused refused) {
            detail = refused.getMessage(); // says what was wrong with the token, never the token
        } else if (presented) {
            detail = "The API key is unknown or revoked.";
        } else {
            detail = "An API key is required: send 'Authorization: Bearer <key>'.";
        }
        render(request, response, new ApiException(ErrorCode.UNAUTHENTICATED, detail));
    }

    /** 503: a single sign-on token could not be checked because its identity provider is unreachable. */
    void providerUnavailable(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) {
        response.setHeader(HttpHeaders.RETRY_AFTER, "5");
        render(request, response, new ApiException(ErrorCode.SERVICE_UNAVAILABLE, e.getMessage()));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) {
        String scope = ApiKeyRequests.credential(request)
                .map(credential -> credential instanceof ApiKey key
                        ? "This API key has scope '" + key.scope().wireName() + "'"
                        : "This caller has scope '"
                                + ApiKeyRequests.currentScope()
                                        .map(Scope::wireName)
                                        .orElse("none") + "'")
                .orElse("This API key");
        render(request, response, new ApiException(ErrorCode.FORBIDDEN, scope + "; this request needs a wider scope."));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e) {
        render(
                request,
                response,
                new ApiException(
                        ErrorCode.INVALID_PATH,
                        "The request path is not in canonical form: " + e.getMessage()
                                + " Send the path plainly, without encoded separators, dots, letters or ';' parameters."));
    }

    void tooManyFailures(HttpServletRequest request, HttpServletResponse response, Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        render(
                request,
                response,
                new ApiException(
                        ErrorCode.RATE_LIMITED,
                        "Too many failed authentications from this address or with this key; retry in " + seconds
                                + " s.",
                        Map.of("retry_after_seconds", seconds)));
    }

    private void render(HttpServletRequest request, HttpServletResponse response, ApiException problem) {
        problemRenderer.resolveException(request, response, null, problem);
    }
}
