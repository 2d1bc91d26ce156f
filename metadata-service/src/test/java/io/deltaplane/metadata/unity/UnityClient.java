package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.GrantsApi;
import io.unitycatalog.client.model.PermissionsChange;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.UpdatePermissions;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Unity Catalog's own Java client (unitycatalog-client 0.6, unchanged) pointed at the service under
 * test with a bearer key, and the checks the Unity Catalog tests share: a refusal in UC's error
 * shape, a grant made through UC's grants API, a fresh name.
 */
final class UnityClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UnityClient() {}

    /** A client of the service on {@code port} acting with {@code key}. */
    static ApiClient as(int port, String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port + "/api/2.1/unity-catalog");
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return client;
    }

    /** {@code prefix} and ten random characters: a name no other test uses. */
    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Grants {@code privilege} on the securable to {@code principal} through UC's grants API. */
    static void grant(GrantsApi grants, SecurableType type, String name, String principal, Privilege privilege)
            throws ApiException {
        grants.update(
                type,
                name,
                new UpdatePermissions()
                        .changes(List.of(
                                new PermissionsChange().principal(principal).add(List.of(privilege)))));
    }

    /** The call is refused with {@code status} and UC's {@code error_code}, with a message. */
    static void assertUnityError(ThrowingCall call, int status, String unityCode) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).as(e.getResponseBody()).isEqualTo(status);
            JsonNode body = JSON.readTree(e.getResponseBody());
            assertThat(body.get("error_code").asString()).isEqualTo(unityCode);
            assertThat(body.get("message").asString()).isNotBlank();
        });
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
