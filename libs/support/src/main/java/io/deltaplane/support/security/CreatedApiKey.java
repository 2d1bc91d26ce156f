package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

/** A key just created: the only moment the plain key exists outside the caller's hands. */
public record CreatedApiKey(ApiKey apiKey, String key) {
    public CreatedApiKey {
        requireNonNull(apiKey, "apiKey");
        requireNonNull(key, "key");
    }
}
