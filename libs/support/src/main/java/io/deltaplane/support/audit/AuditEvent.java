package io.deltaplane.support.audit;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One audited request: who (principal, and how it authenticated: {@code api_key:<id>}, {@code
 * oidc:<issuer>|<subject>} or {@code none}), from where, what (the route, e.g. {@code POST /api/v1/tables/{fullName}/commits}, and the
 * securable it named), and how it ended ({@code allowed}, {@code denied}: 401/403/429, {@code
 * failed}: any other error). {@code seq} is its place in the hash chain, null until chained.
 */
public record AuditEvent(
        long id,
        Instant at,
        String principal,
        String authentication,
        String sourceAddress,
        String service,
        String action,
        String path,
        String securableType,
        String securableName,
        String requestId,
        int status,
        String outcome,
        Long seq) {

    public AuditEvent {
        requireNonNull(at, "at");
        requireNonNull(authentication, "authentication");
        requireNonNull(sourceAddress, "sourceAddress");
        requireNonNull(service, "service");
        requireNonNull(action, "action");
        requireNonNull(path, "path");
        requireNonNull(outcome, "outcome");
    }

    /** The outcome a response status means. */
    public static String outcome(int status) {
        if (status == 401 || status == 403 || status == 429) {
            return "denied";
        }
        return status >= 400 ? "failed" : "allowed";
    }
}
