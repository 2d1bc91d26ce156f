package io.deltaplane.gateway.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.deltaplane.support.security.ApiKey;
import io.deltaplane.support.security.CreatedApiKey;
import java.time.Instant;

/**
 * An API key as the admin API shows it. {@code key} (the secret itself) is only present in the
 * answer to its creation; afterwards only the {@code prefix} identifies it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyResponse(
        String id,
        String name,
        String prefix,
        String scope,
        String principal,
        boolean active,
        Instant createdAt,
        Instant revokedAt,
        String key) {

    public static ApiKeyResponse of(ApiKey key) {
        return new ApiKeyResponse(
                key.id(),
                key.name(),
                key.prefix(),
                key.scope().wireName(),
                key.principal(),
                key.active(),
                key.createdAt(),
                key.revokedAt(),
                null);
    }

    public static ApiKeyResponse created(CreatedApiKey created) {
        ApiKey key = created.apiKey();
        return new ApiKeyResponse(
                key.id(),
                key.name(),
                key.prefix(),
                key.scope().wireName(),
                key.principal(),
                true,
                key.createdAt(),
                null,
                created.key());
    }

    @Override
    public String toString() {
        return "ApiKeyResponse[id=" + id + ", name=" + name + ", scope=" + scope + "]"; // never the key
    }
}
