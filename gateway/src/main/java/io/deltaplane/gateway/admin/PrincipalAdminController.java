package io.deltaplane.gateway.admin;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Principal;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API for principals (users, service principals, groups) and group membership. Like
 * every {@code /api/v1/admin/**} path it needs an admin key of a metastore admin. Membership
 * changes reach every service within {@link PrincipalStore#CACHE_TTL}.
 */
@RestController
public class PrincipalAdminController {

    private static final Logger log = LoggerFactory.getLogger(PrincipalAdminController.class);

    /** @param type {@code user}, {@code service_principal} or {@code group} */
    public record CreatePrincipal(String name, String type) {}

    public record PrincipalResponse(String name, String type, Instant createdAt, List<String> groups) {}

    public record PrincipalList(List<PrincipalResponse> principals, String nextPageToken) {}

    public record GroupMembers(String group, List<String> members) {}

    private final PrincipalStore principals;
    private final AccessControl access;

    public PrincipalAdminController(PrincipalStore principals, AccessControl access) {
        this.principals = requireNonNull(principals, "principals");
        this.access = requireNonNull(access, "access");
    }

    @PostMapping("/api/v1/admin/principals")
    @ResponseStatus(HttpStatus.CREATED)
    public ResponseEntity<PrincipalResponse> createPrincipal(@RequestBody CreatePrincipal request) {
        if (request == null || request.type() == null) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "type is required: user, service_principal or group.");
        }
        PrincipalType type;
        try {
            type = PrincipalType.fromWire(request.type());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, e.getMessage() + ".");
        }
        Principal created = principals.create(request.name(), type);
        log.info("Created principal {} ({})", created.name(), type.wireName());
        return ResponseEntity.created(URI.create("/api/v1/admin/principals/" + created.name()))
                .body(response(created));
    }

    @GetMapping("/api/v1/admin/principals")
    public PrincipalList listPrincipals(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        int limit = PageTokens.limit(maxResults);
        List<Principal> page = principals.list(PageTokens.decode(pageToken), limit + 1);
        String next =
                page.size() > limit ? PageTokens.encode(page.get(limit - 1).name()) : null;
        return new PrincipalList(
                page.subList(0, Math.min(limit, page.size())).stream()
                        .map(this::response)
                        .toList(),
                next);
    }

    @GetMapping("/api/v1/admin/principals/{name}")
    public PrincipalResponse getPrincipal(@PathVariable String name) {
        return response(principals.get(name));
    }

    /** 409 PRINCIPAL_IN_USE while it owns a securable or holds a key; its grants and memberships go with it. */
    @DeleteMapping("/api/v1/admin/principals/{name}")
    public ResponseEntity<Void> deletePrincipal(@PathVariable String name) {
        principals.delete(name);
        access.invalidate();
        log.info("Deleted principal {}", name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/admin/groups/{group}/members")
    public GroupMembers listGroupMembers(@PathVariable String group) {
        return new GroupMembers(group, principals.members(group));
    }

    @PutMapping("/api/v1/admin/groups/{group}/members/{principal}")
    public ResponseEntity<Void> addGroupMember(@PathVariable String group, @PathVariable String principal) {
        principals.addMember(group, principal);
        access.invalidate();
        log.info("Added {} to group {}", principal, group);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/api/v1/admin/groups/{group}/members/{principal}")
    public ResponseEntity<Void> removeGroupMember(@PathVariable String group, @PathVariable String principal) {
        if (principals.removeMember(group, principal)) {
            log.info("Removed {} from group {}", principal, group);
        }
        access.invalidate();
        return ResponseEntity.noContent().build();
    }

    private PrincipalResponse response(Principal principal) {
        return new PrincipalResponse(
                principal.name(),
                principal.type().wireName(),
                principal.createdAt(),
                List.copyOf(principals.groupsOf(principal.name())));
    }
}
