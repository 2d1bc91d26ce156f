package io.deltaplane.gateway.me;

import static java.util.Objects.requireNonNull;

import io.deltaplane.gateway.admin.ApiKeyResponse;
import io.deltaplane.gateway.admin.CreateApiKeyRequest;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Caller;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.security.ApiKey;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.CreatedApiKey;
import io.deltaplane.support.security.Credential;
import io.deltaplane.support.security.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the caller is ({@code GET /api/v1/me}), and keys a principal makes for itself ({@code POST
 * /api/v1/me/api-keys}): a new key acts for the same principal and can do no more than the key
 * that made it.
 */
@RestController
public class MeController {

    private static final Logger log = LoggerFactory.getLogger(MeController.class);

    /**
     * @param principal the principal the credential acts for
     * @param groups every group it is in, directly or through other groups
     * @param metastoreAdmin whether it is a metastore admin
     * @param apiKeyId the key this request came with (null for a single sign-on token)
     * @param scope the most that credential may do
     */
    public record Me(
            String principal,
            String type,
            List<String> groups,
            boolean metastoreAdmin,
            String apiKeyId,
            String scope) {}

    /** @param scope {@code read} or {@code write}, at most the calling key's (default: the caller's) */
    public record CreateOwnKey(String name, String scope) {}

    private final AccessControl access;
    private final PrincipalStore principals;
    private final ApiKeyStore keys;

    public MeController(AccessControl access, PrincipalStore principals, ApiKeyStore keys) {
        this.access = requireNonNull(access, "access");
        this.principals = requireNonNull(principals, "principals");
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * Groups are every group the caller acts with: its memberships, and for a single sign-on token
     * the groups here its groups claim names.
     */
    @GetMapping("/api/v1/me")
    public Me getMe(HttpServletRequest request) {
        Caller caller = access.caller();
        Credential credential = ApiKeyRequests.credential(request).orElseThrow();
        Set<String> groups = new TreeSet<>(caller.identities());
        groups.remove(caller.principal());
        return new Me(
                caller.principal(),
                principals.get(caller.principal()).type().wireName(),
                List.copyOf(groups),
                access.isMetastoreAdmin(caller),
                credential instanceof ApiKey key ? key.id() : null,
                effectiveScope(credential).wireName());
    }

    /** A single sign-on caller may make keys too: for its principal, at most read-write unless it is an admin. */
    @PostMapping("/api/v1/me/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public ResponseEntity<ApiKeyResponse> createMyApiKey(HttpServletRequest request, @RequestBody CreateOwnKey body) {
        Credential calling = ApiKeyRequests.credential(request).orElseThrow();
        if (body == null || body.name() == null || !body.name().matches(CreateApiKeyRequest.NAME_RULE)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "name: must be 1-100 letters, digits, space, _ . -");
        }
        Scope most = effectiveScope(calling);
        Scope scope;
        try {
            scope = body.scope() == null ? most : Scope.fromWire(body.scope());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "scope: " + e.getMessage());
        }
        if (!most.covers(scope)) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN,
                    "A key can make keys that do no more than itself (at most '" + most.wireName() + "').");
        }
        CreatedApiKey created = keys.createFor(body.name(), calling.principal(), scope);
        log.info(
                "Principal {} created API key {} for itself",
                calling.principal(),
                created.apiKey().id());
        return ResponseEntity.created(
                        URI.create("/api/v1/admin/api-keys/" + created.apiKey().id()))
                .body(ApiKeyResponse.created(created));
    }

    private Scope effectiveScope(Credential credential) {
        return credential instanceof ApiKey key
                ? key.effectiveScope(access.isMetastoreAdmin(key.principal()))
                : ApiKeyRequests.currentScope().orElse(Scope.READ);
    }
}
