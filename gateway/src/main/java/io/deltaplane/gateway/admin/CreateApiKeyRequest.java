package io.deltaplane.gateway.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /api/v1/admin/api-keys}.
 *
 * @param name what the key is for, e.g. {@code daily-sales-etl}
 * @param principal the principal the key acts for, with exactly its grants
 * @param scope the most the key may do: {@code read}, {@code write} or {@code admin} (default with a
 *     principal: no narrowing). Without a principal, the old API: the key gets a service principal
 *     of its own in the group that carries the scope's reach
 */
public record CreateApiKeyRequest(
        @NotBlank
        @Pattern(regexp = CreateApiKeyRequest.NAME_RULE, message = "must be 1-100 letters, digits, space, _ . -")
        String name,

        String principal,

        @Pattern(regexp = "read|write|admin", message = "must be read, write or admin")
        String scope) {

    /** What a key's name may be (also for keys a principal makes for itself). */
    public static final String NAME_RULE = "[A-Za-z0-9_][A-Za-z0-9 _.-]{0,99}";
}
