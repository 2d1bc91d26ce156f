package io.deltaplane.gateway.admin;

import java.util.List;

/** Body of {@code GET /api/v1/admin/api-keys}: every key, revoked ones included, oldest first. */
public record ApiKeyListResponse(List<ApiKeyResponse> apiKeys) {
    public ApiKeyListResponse {
        apiKeys = List.copyOf(apiKeys);
    }
}
