package io.deltaplane.support.audit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.request.RequestIds;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.ClientAddresses;
import io.deltaplane.support.security.Credential;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records who did what ({@link AuditLog}): every mutating request, every request that issues a
 * credential or signed URL, and every denied request (401, 403, 429), once the response is known
 * and before it completes. Runs around authentication, so refusals by it are recorded too. A
 * request another app handles (the gateway routing to a service, marked {@link
 * #HANDLED_DOWNSTREAM}) is recorded there instead, once. A failure to record is logged, never
 * turned into a failure of a request already carried out.
 */
public final class AuditFilter extends OncePerRequestFilter {

    /** Request attribute set by the gateway on requests it routes to a service (which audits them). */
    public static final String HANDLED_DOWNSTREAM = AuditFilter.class.getName() + ".handledDownstream";

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final int MAX_PATH = 1024;

    private final AuditLog audit;
    private final ClientAddresses addresses;
    private final String service;
    /**
     * Set to {@code true} on a request whose answer carries vended credentials though its path is not
     * one of the credential paths: the request is audited as a credential issue.
     */
    public static final String CREDENTIALS_ISSUED = AuditFilter.class.getName() + ".credentialsIssued";

    private final List<String> credentialPaths;
    private final Clock clock;
    private final AntPathMatcher paths = new AntPathMatcher();

    public AuditFilter(
            AuditLog audit, ClientAddresses addresses, String service, List<String> credentialPaths, Clock clock) {
        this.audit = requireNonNull(audit, "audit");
        this.addresses = requireNonNull(addresses, "addresses");
        this.service = requireNonNull(service, "service");
        this.credentialPaths = List.copyOf(credentialPaths);
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            int status = response.getStatus();
            if (audited(request, response, status)) {
                record(request, status);
            }
        }
    }

    private boolean audited(HttpServletRequest request, HttpServletResponse response, int status) {
        if (request.getAttribute(HANDLED_DOWNSTREAM) != null) {
            return false;
        }
        if ("denied".equals(AuditEvent.outcome(status)) || MUTATING.contains(request.getMethod())) {
            return true;
        }
        if (status >= 400) {
            return false;
        }
        // a handler that vended credentials on a path that does not always (an Iceberg loadTable
        // with access delegation) says so
        if (Boolean.TRUE.equals(request.getAttribute(CREDENTIALS_ISSUED))) {
            return true;
        }
        String path = request.getRequestURI();
        return credentialPaths.stream().anyMatch(pattern -> paths.match(pattern, path));
    }

    private void record(HttpServletRequest request, int status) {
        Optional<Credential> credential = ApiKeyRequests.credential(request);
        String pattern =
                request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String p ? p : null;
        String path = truncate(request.getRequestURI());
        String[] securable = securable(pattern, request);
        AuditEvent event = new AuditEvent(
                0,
                clock.instant(),
                credential.map(Credential::principal).orElse(null),
                credential.map(Credential::authentication).orElse("none"),
                addresses.of(request),
                service,
                request.getMethod() + " " + (pattern != null ? pattern : path),
                path,
                securable[0],
                securable[1],
                RequestIds.current(),
                status,
                AuditEvent.outcome(status),
                null);
        try {
            audit.append(event);
        } catch (RuntimeException e) {
            log.error(
                    "Could not record audit event {} {} ({}): {}",
                    event.action(),
                    event.status(),
                    event.requestId(),
                    e.toString());
        }
    }

    /**
     * The securable the request was authorized on ({type, full name}), else the one its route names
     * in its path variables; nulls if none.
     */
    static String[] securable(String pattern, HttpServletRequest request) {
        if (request.getAttribute(AccessControl.SECURABLE_ATTRIBUTE) instanceof Securable checked) {
            return new String[] {checked.type().wireName(), checked.fullName()};
        }
        if (pattern == null
                || !(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> vars)) {
            return new String[2];
        }
        if (vars.get("securableType") instanceof String type && vars.get("fullName") instanceof String name) {
            return new String[] {type.toLowerCase(java.util.Locale.ROOT), name};
        }
        if (pattern.startsWith("/api/v1/tables/{fullName}") && vars.get("fullName") instanceof String name) {
            return new String[] {"table", name};
        }
        if (pattern.startsWith("/api/v1/schemas/{fullName}") && vars.get("fullName") instanceof String name) {
            return new String[] {"schema", name};
        }
        if (pattern.startsWith("/api/v1/catalogs/{name}") && vars.get("name") instanceof String name) {
            return new String[] {"catalog", name};
        }
        return new String[2];
    }

    private static String truncate(String path) {
        return path.length() <= MAX_PATH ? path : path.substring(0, MAX_PATH);
    }
}
