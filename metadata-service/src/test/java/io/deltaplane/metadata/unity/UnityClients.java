package io.deltaplane.metadata.unity;

import io.delta.storage.commit.uccommitcoordinator.UCDeltaTokenBasedRestClient;
import java.util.Map;

/** Delta's own Unity Catalog clients, pointed at a metadata-service as engines point them. */
public final class UnityClients {

    private UnityClients() {}

    /**
     * delta-storage's client of the UC Delta REST API on {@code baseUrl} with a static token; credential
     * vending off (the engine brings its own storage credentials, as engines.md says).
     */
    public static UCDeltaTokenBasedRestClient delta(String baseUrl, String token) {
        return new UCDeltaTokenBasedRestClient(
                Map.of(
                        "uri",
                        baseUrl,
                        "auth.type",
                        "static",
                        "auth.token",
                        token,
                        "credentialVending.enabled",
                        "false"),
                null);
    }
}
