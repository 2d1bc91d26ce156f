package io.deltaplane.gateway.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on the console's responses (Spring Security adds {@code nosniff} and
 * {@code X-Frame-Options} to every response). Scripts only from the gateway itself, never inline;
 * the API is called on the same origin (and the identity provider, with single sign-on); no framing;
 * no referrer leaves the console.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ConsoleSecurityHeadersFilter extends OncePerRequestFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            // Chart and graph positions are inline style attributes; no inline script is allowed.
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final String contentSecurityPolicy;

    /**
     * With single sign-on for the console, its issuer's origin is the one other the page may call:
     * the provider's discovery document and token endpoint (authorization code with PKCE).
     */
    public ConsoleSecurityHeadersFilter(ConsoleSignInController signIn) {
        this.contentSecurityPolicy = signIn.signIn() == null
                ? CONTENT_SECURITY_POLICY
                : CONTENT_SECURITY_POLICY.replace(
                        "connect-src 'self';",
                        "connect-src 'self' " + signIn.signIn().origin() + ";");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.equals("/") || path.equals("/console") || path.startsWith("/console/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        chain.doFilter(request, response);
    }
}
