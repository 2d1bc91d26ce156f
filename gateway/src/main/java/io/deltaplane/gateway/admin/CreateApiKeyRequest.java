package io.deltaplane.gateway.admin;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * Body of {@code POST /api/v1/admin/api-keys}.
 *
 * @param name what the key is for, e.g. {@code daily-sales-etl}
 * @param scope {@code read}, {@code write} or {@code admin}
 */
public record CreateApiKeyRequest(
        @NotBlank
        @Pattern(regexp = "[A-Za-z0-9_][A-Za-z0-9 _.-]{0,99}", message = "must be 1-100 letters, digits, space, _ . -")
        String name,

        @NotNull @Pattern(regexp = "read|write|admin", message = "must be read, write or admin")
        String scope) {}
