package io.deltaplane.gateway.audit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.support.audit.ChainVerification;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail: who did what, newest first, filtered by principal, securable (and everything
 * inside it), action and time; and a walk of its hash chain. Metastore admins read all of it; a
 * principal with MANAGE on a securable (or its owner) reads the events of that securable; anyone
 * reads their own requests.
 */
@RestController
public class AuditController {

    public record AuditPage(List<AuditEvent> events, String nextPageToken) {}

    private final AuditLog audit;
    private final AccessControl access;

    public AuditController(AuditLog audit, AccessControl access) {
        this.audit = requireNonNull(audit, "audit");
        this.access = requireNonNull(access, "access");
    }

    @GetMapping("/api/v1/audit")
    public AuditPage listAuditEvents(
            @RequestParam(required = false) String principal,
            @RequestParam(required = false) String securable,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        String caller = access.caller().principal();
        if (!access.isMetastoreAdmin(caller)) {
            if (securable != null && !securable.isBlank()) {
                access.requireManage(securableNamed(securable));
            } else if (principal == null || principal.isBlank()) {
                principal = caller; // one's own requests
            } else if (!principal.equals(caller)) {
                throw new ApiException(
                        ErrorCode.FORBIDDEN,
                        "Only metastore admins read other principals' requests; name a securable you manage.");
            }
        }
        int limit = PageTokens.limit(maxResults);
        String after = PageTokens.decode(pageToken);
        long before = after.isEmpty() ? Long.MAX_VALUE : Long.parseLong(after);
        List<AuditEvent> page = audit.list(
                new AuditQuery(
                        blankToNull(principal),
                        blankToNull(securable) == null
                                ? null
                                : securableNamed(securable).fullName(),
                        blankToNull(action),
                        time("since", since),
                        time("until", until)),
                before,
                limit + 1);
        String next = page.size() > limit
                ? PageTokens.encode(Long.toString(page.get(limit - 1).id()))
                : null;
        return new AuditPage(page.subList(0, Math.min(limit, page.size())), next);
    }

    /** Walks the whole chain; metastore admins only. */
    @GetMapping("/api/v1/admin/audit/verify")
    public ChainVerification verifyAuditChain() {
        access.requireMetastoreAdmin();
        return audit.verify();
    }

    /** {@code c} is a catalog, {@code c.s} a schema, {@code c.s.t} a table. */
    private static Securable securableNamed(String fullName) {
        long dots = fullName.chars().filter(c -> c == '.').count();
        if (dots > 2) {
            throw ApiException.badRequest(ErrorCode.INVALID_NAME, "securable: c, c.s or c.s.t");
        }
        return Securable.parse(SecurableType.values()[(int) dots + 1].wireName(), fullName);
    }

    private static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, name + ": an ISO-8601 instant, e.g. 2026-11-25T08:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
