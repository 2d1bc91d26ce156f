package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.GrantsApi;
import io.unitycatalog.client.model.AwsIamRoleRequest;
import io.unitycatalog.client.model.CreateCredentialRequest;
import io.unitycatalog.client.model.CredentialPurpose;
import io.unitycatalog.client.model.PermissionsChange;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.UpdatePermissions;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What {@link UnityCredentialsTest} asks with, in UC's client's own model, and how it reads the answers. */
final class UnityCredentialFixtures {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UnityCredentialFixtures() {}

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static CreateCredentialRequest aws(String name, String roleArn) {
        return new CreateCredentialRequest()
                .name(name)
                .purpose(CredentialPurpose.STORAGE)
                .awsIamRole(new AwsIamRoleRequest().roleArn(roleArn));
    }

    static void grantOn(GrantsApi grants, SecurableType type, String name, String principal, Privilege privilege)
            throws ApiException {
        grants.update(
                type,
                name,
                new UpdatePermissions()
                        .changes(List.of(
                                new PermissionsChange().principal(principal).add(List.of(privilege)))));
    }

    record HttpAnswer(int status, String message, String body) {}

    static HttpAnswer answer(HttpResponse<String> response) {
        JsonNode body = JSON.readTree(response.body());
        return new HttpAnswer(response.statusCode(), body.path("message").asString(""), response.body());
    }

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
