package io.deltaplane.gateway.admin;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.CreatedApiKey;
import io.deltaplane.support.security.Scope;
import jakarta.validation.Valid;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admin API for API keys; each key acts for a principal. The admin scope is enforced by the support library's authentication
 * filter for every {@code /api/v1/admin/**} path. Revocation takes effect everywhere within
 * {@link ApiKeyStore#CACHE_TTL}.
 */
@RestController
@RequestMapping("/api/v1/admin/api-keys")
public class ApiKeyAdminController {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAdminController.class);

    private final ApiKeyStore store;

    public ApiKeyAdminController(ApiKeyStore store) {
        this.store = requireNonNull(store, "store");
    }

    /** Creates a key; the answer is the only time the key itself is shown. */
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public ResponseEntity<ApiKeyResponse> create(@Valid @RequestBody CreateApiKeyRequest request) {
        Scope scope = request.scope() == null ? null : Scope.fromWire(request.scope());
        CreatedApiKey created;
        if (request.principal() != null && !request.principal().isBlank()) {
            created = store.createFor(request.name(), request.principal(), scope);
        } else if (scope != null) {
            created = store.create(request.name(), scope);
        } else {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "principal (or, the old way, scope) is required.");
        }
        log.info(
                "Created API key {} ({}, principal {}, scope {})",
                created.apiKey().id(),
                created.apiKey().prefix(),
                created.apiKey().principal(),
                created.apiKey().scope().wireName());
        return ResponseEntity.created(
                        URI.create("/api/v1/admin/api-keys/" + created.apiKey().id()))
                .body(ApiKeyResponse.created(created));
    }

    @GetMapping
    public ApiKeyListResponse list() {
        return new ApiKeyListResponse(
                store.list().stream().map(ApiKeyResponse::of).toList());
    }

    @GetMapping("/{id}")
    public ApiKeyResponse get(@PathVariable String id) {
        return store.find(id).map(ApiKeyResponse::of).orElseThrow(() -> notFound(id));
    }

    /** Revokes a key. Revoking an already revoked key is a no-op; an unknown id is a 404. */
    @DeleteMapping("/{id}")
    public ResponseEntity<Void> revoke(@PathVariable String id) {
        if (store.find(id).isEmpty()) {
            throw notFound(id);
        }
        if (store.revoke(id)) {
            log.info("Revoked API key {}", id);
        }
        return ResponseEntity.noContent().build();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound(ErrorCode.API_KEY_NOT_FOUND, "No API key with id '" + id + "'.");
    }
}
