package io.deltaplane.metadata.iceberg;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.rest.credentials.Credential;
import org.apache.iceberg.rest.credentials.ImmutableCredential;

/** Vended storage credentials as Iceberg's {@link Credential}s, for a {@code loadTable} answer. */
final class IcebergCredentials {

    private IcebergCredentials() {}

    /**
     * The credentials {@code vend} answers, or none where the table has none to vend (a local or an
     * external table: {@code UNSUPPORTED_LOCATION}): access delegation is a request the catalog may
     * decline, and the engine then uses its own. Any other refusal (a missing grant, STS down) is
     * the caller's answer.
     */
    @SuppressWarnings("unchecked")
    static List<Credential> vendedForLoad(Supplier<Map<String, Object>> vend) {
        Map<String, Object> vended;
        try {
            vended = vend.get();
        } catch (ApiException e) {
            if (e.is(ErrorCode.UNSUPPORTED_LOCATION)) {
                return List.of();
            }
            throw e;
        }
        return ((List<Map<String, Object>>) vended.get("storage-credentials"))
                .stream()
                        .map(c -> (Credential) ImmutableCredential.builder()
                                .prefix((String) c.get("prefix"))
                                .config(stringValues((Map<String, Object>) c.get("config")))
                                .build())
                        .toList();
    }

    private static Map<String, String> stringValues(Map<String, Object> config) {
        Map<String, String> strings = new java.util.LinkedHashMap<>();
        config.forEach((k, v) -> strings.put(k, String.valueOf(v)));
        return strings;
    }
}
