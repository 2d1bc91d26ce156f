package io.deltaplane.metadata.unity;

import static io.deltaplane.metadata.unity.UnityCredentialFixtures.answer;
import static io.deltaplane.metadata.unity.UnityCredentialFixtures.assertUnityError;
import static io.deltaplane.metadata.unity.UnityCredentialFixtures.aws;
import static io.deltaplane.metadata.unity.UnityCredentialFixtures.grantOn;
import static io.deltaplane.metadata.unity.UnityCredentialFixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.credentials.CredentialVendingProperties;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.api.CredentialsApi;
import io.unitycatalog.client.api.ExternalLocationsApi;
import io.unitycatalog.client.api.GrantsApi;
import io.unitycatalog.client.model.AwsIamRoleRequest;
import io.unitycatalog.client.model.CreateCredentialRequest;
import io.unitycatalog.client.model.CreateExternalLocation;
import io.unitycatalog.client.model.CredentialInfo;
import io.unitycatalog.client.model.CredentialPurpose;
import io.unitycatalog.client.model.ExternalLocationInfo;
import io.unitycatalog.client.model.ListCredentialsResponse;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.UpdateCredentialRequest;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Storage credentials through Unity Catalog's own Java client (unitycatalog-client 0.6.0,
 * unchanged), written from UC's API documents and its server's tests: an AWS IAM role round-trips,
 * pages, is renamed (its grants follow) and deleted; Databricks' Azure shapes (raw HTTP: UC's
 * client has none) take a client secret only as a reference, which no answer, audit row or log line
 * carries; grants decide who records, sees, names in an external location and deletes one.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnityCredentialsTest extends MetadataTestBase {

    static final String ROLE = "arn:aws:iam::123456789012:role/lake";
    static final String BASE = "/api/2.1/unity-catalog/credentials";

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CredentialVendingProperties vending;

    private ApiClient admin;

    @BeforeEach
    void adminClient() {
        admin = UnityClient.as(port, ADMIN_KEY);
    }

    @Test
    void anAwsRoleCredentialRoundTripsPagesAndIsRenamedWithItsGrants() throws Exception {
        CredentialsApi credentials = new CredentialsApi(admin);
        String name = unique("cred_");
        CredentialInfo created = credentials.createCredential(aws(name, ROLE).comment("the lake's role"));

        assertThat(created.getName()).isEqualTo(name);
        assertThat(created.getFullName()).isEqualTo(name);
        assertThat(created.getComment()).isEqualTo("the lake's role");
        assertThat(created.getPurpose()).isEqualTo(CredentialPurpose.STORAGE);
        assertThat(created.getAwsIamRole().getRoleArn()).isEqualTo(ROLE);
        UUID.fromString(created.getAwsIamRole().getExternalId()); // UC makes it a UUID
        assertThat(created.getAwsIamRole().getUnityCatalogIamArn()).isEqualTo(vending.s3RoleArn());
        UUID.fromString(created.getId());
        assertThat(created.getOwner()).isNotBlank().isEqualTo(created.getCreatedBy());
        assertThat(created.getUpdatedBy()).isEqualTo(created.getCreatedBy());
        assertThat(created.getCreatedAt()).isPositive();
        assertThat(created.getUpdatedAt()).isGreaterThanOrEqualTo(created.getCreatedAt());
        assertThat(credentials.getCredential(name)).isEqualTo(created);

        // paging one at a time: every credential once, ours among them
        String second = name + "_b";
        credentials.createCredential(aws(second, ROLE));
        ListCredentialsResponse first = credentials.listCredentials(1, null, CredentialPurpose.STORAGE);
        assertThat(first.getCredentials()).hasSize(1);
        assertThat(first.getNextPageToken()).isNotBlank();
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ListCredentialsResponse page = credentials.listCredentials(1, token, null);
            assertThat(page.getCredentials()).hasSizeLessThanOrEqualTo(1);
            page.getCredentials().forEach(c -> seen.add(c.getName()));
            token = page.getNextPageToken();
        } while (token != null);
        assertThat(seen).doesNotHaveDuplicates().contains(name, second);

        // comment; then a rename: the id and external id stay, the grant follows
        CredentialInfo commented =
                credentials.updateCredential(name, new UpdateCredentialRequest().comment("all regions"));
        assertThat(commented.getComment()).isEqualTo("all regions");
        assertThat(commented.getUpdatedAt()).isGreaterThanOrEqualTo(created.getUpdatedAt());
        Member member = member("cred_user_");
        grantOn(
                new GrantsApi(admin),
                SecurableType.CREDENTIAL,
                name,
                member.principal(),
                Privilege.CREATE_EXTERNAL_LOCATION);
        String renamedName = name + "_r";
        CredentialInfo renamed = credentials.updateCredential(name, new UpdateCredentialRequest().newName(renamedName));
        assertThat(renamed.getName()).isEqualTo(renamedName);
        assertThat(renamed.getId()).isEqualTo(created.getId());
        assertThat(renamed.getAwsIamRole()).isEqualTo(created.getAwsIamRole());
        assertThat(renamed.getComment()).isEqualTo("all regions");
        assertUnityError(() -> credentials.getCredential(name), 404, "NOT_FOUND");
        assertThat(new CredentialsApi(member.client())
                        .getCredential(renamedName)
                        .getId())
                .isEqualTo(created.getId());
        JsonNode assignments = get("/api/2.1/unity-catalog/permissions/credential/" + renamedName)
                .get("privilege_assignments");
        assertThat(assignments.toString()).contains(member.principal(), "CREATE_EXTERNAL_LOCATION");

        // another role ARN is another external id (as UC makes it)
        CredentialInfo moved = credentials.updateCredential(
                renamedName, new UpdateCredentialRequest().awsIamRole(new AwsIamRoleRequest().roleArn(ROLE + "-2")));
        assertThat(moved.getAwsIamRole().getRoleArn()).isEqualTo(ROLE + "-2");
        assertThat(moved.getAwsIamRole().getExternalId())
                .isNotEqualTo(created.getAwsIamRole().getExternalId());

        // UC's negative cases
        assertUnityError(
                () -> credentials.createCredential(aws(second, ROLE)), 400, "STORAGE_CREDENTIAL_ALREADY_EXISTS");
        assertUnityError(
                () -> credentials.updateCredential(renamedName, new UpdateCredentialRequest().newName(second)),
                409,
                "ALREADY_EXISTS");
        assertUnityError(() -> credentials.getCredential(unique("nope_")), 404, "NOT_FOUND");
        assertProblem(http.get(BASE + "/" + unique("nope_")), 404, "CREDENTIAL_NOT_FOUND");
        assertUnityError(() -> credentials.createCredential(aws(null, ROLE)), 400, "INVALID_ARGUMENT");
        assertUnityError(
                () -> credentials.createCredential(new CreateCredentialRequest().name(unique("none_"))),
                400,
                "INVALID_ARGUMENT");
        assertUnityError(
                () -> credentials.createCredential(aws(unique("arn_"), "not-an-arn")), 400, "INVALID_ARGUMENT");
        String both = unique("both_");
        UnityCredentialFixtures.HttpAnswer twoShapes = answer(http.post(
                BASE,
                "{\"name\":\"" + both + "\",\"aws_iam_role\":{\"role_arn\":\"" + ROLE
                        + "\"},\"azure_managed_identity\":{\"access_connector_id\":\"/subscriptions/s/ac\"}}"));
        assertThat(twoShapes.status()).isEqualTo(400);
        assertThat(twoShapes.message()).contains("exactly one of");
        UnityCredentialFixtures.HttpAnswer service = answer(http.post(
                BASE,
                "{\"name\":\"" + both + "\",\"purpose\":\"SERVICE\",\"aws_iam_role\":{\"role_arn\":\"" + ROLE
                        + "\"}}"));
        assertThat(service.status()).isEqualTo(400);
        assertThat(service.message()).contains("only STORAGE");
        assertUnityError(() -> credentials.getCredential(both), 404, "NOT_FOUND");

        credentials.deleteCredential(second, null);
        assertUnityError(() -> credentials.getCredential(second), 404, "NOT_FOUND");
    }

    @Test
    void anAzureServicePrincipalTakesItsSecretAsAReferenceThatNoAnswerAuditRowOrLogCarries(CapturedOutput output)
            throws Exception {
        String name = unique("azsp_");
        String reference =
                "DELTAPLANE_SECRET_AZURE_SP_" + UUID.randomUUID().toString().replace("-", "");
        JsonNode created = ok(
                http.post(
                        BASE,
                        "{\"name\":\"" + name + "\",\"azure_service_principal\":{\"directory_id\":\"tenant-1\","
                                + "\"application_id\":\"app-1\",\"client_secret\":\"" + reference + "\"}}"),
                200);
        assertThat(created.get("azure_service_principal").get("directory_id").asString())
                .isEqualTo("tenant-1");
        assertThat(created.get("azure_service_principal").get("application_id").asString())
                .isEqualTo("app-1");
        assertThat(created.get("azure_service_principal").has("client_secret")).isFalse();
        assertThat(created.get("purpose").asString()).isEqualTo("STORAGE");
        assertThat(created.toString()).doesNotContain(reference);
        String got = http.get(BASE + "/" + name).body();
        assertThat(JSON.readTree(got)
                        .get("azure_service_principal")
                        .get("application_id")
                        .asString())
                .isEqualTo("app-1");
        assertThat(got).doesNotContain(reference).doesNotContain("client_secret");
        String listed = http.get(BASE + "?max_results=1000").body();
        assertThat(listed).contains(name).doesNotContain(reference).doesNotContain("client_secret");

        // a managed identity, Databricks' other Azure shape
        String identity = unique("azmi_");
        JsonNode managed = ok(
                http.post(
                        BASE,
                        "{\"name\":\"" + identity + "\",\"azure_managed_identity\":{\"access_connector_id\":"
                                + "\"/subscriptions/s/accessConnectors/ac\",\"managed_identity_id\":\"/subscriptions/s/mi\"}}"),
                200);
        assertThat(managed.get("azure_managed_identity")
                        .get("access_connector_id")
                        .asString())
                .isEqualTo("/subscriptions/s/accessConnectors/ac");
        assertThat(managed.get("aws_iam_role").isNull()).isTrue();

        // a secret's value is refused, without being echoed, and nothing is recorded
        String raw = "Zq8~Rk_a7.Lm3~Wq9-" + UUID.randomUUID();
        String refusedName = unique("azraw_");
        java.time.Instant beforeRefusal = java.time.Instant.now();
        UnityCredentialFixtures.HttpAnswer refused = answer(http.post(
                BASE,
                "{\"name\":\"" + refusedName + "\",\"azure_service_principal\":"
                        + "{\"directory_id\":\"tenant-1\",\"application_id\":\"app-1\",\"client_secret\":\"" + raw
                        + "\"}}"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.message()).contains("DELTAPLANE_SECRET_").contains("reference");
        assertThat(refused.body()).doesNotContain(raw);
        assertThat(http.get(BASE + "?max_results=1000").body()).doesNotContain(refusedName);
        assertProblem(http.get(BASE + "/" + refusedName), 404, "CREDENTIAL_NOT_FOUND");
        // a secret-looking value without the prefix is refused too
        assertThat(http.post(
                                BASE,
                                "{\"name\":\"" + refusedName + "\",\"azure_service_principal\":{\"directory_id\":"
                                        + "\"t\",\"application_id\":\"a\",\"client_secret\":\"abcDEF0123456789\"}}")
                        .statusCode())
                .isEqualTo(400);

        ok(http.delete(BASE + "/" + name), 200);
        for (String secret : List.of(reference, raw)) {
            assertThat(jdbc.sql("SELECT count(*) FROM platform.audit_events a WHERE strpos(CAST(a AS text), ?) > 0")
                            .param(secret)
                            .query(Long.class)
                            .single())
                    .isZero();
            assertThat(output.getAll()).doesNotContain(secret);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM storage_credentials c WHERE strpos(CAST(c AS text), ?) > 0")
                        .param(raw)
                        .query(Long.class)
                        .single())
                .isZero();
        // the create and the delete were audited (against the credential), the refusal too
        assertThat(actions(name))
                .contains(
                        "POST /api/2.1/unity-catalog/credentials", "DELETE /api/2.1/unity-catalog/credentials/{name}");
        // the refused create too: refused before any securable was authorized, so found by its action
        assertThat(audit
                        .list(
                                new AuditQuery(
                                        null, null, "POST /api/2.1/unity-catalog/credentials", beforeRefusal, null),
                                Long.MAX_VALUE,
                                50)
                        .stream()
                        .map(AuditEvent::status)
                        .toList())
                .as("the refused creates' statuses")
                .contains(400);
    }

    @Test
    void grantsDecideWhoRecordsSeesNamesAndDeletesCredentials() throws Exception {
        CredentialsApi credentials = new CredentialsApi(admin);
        GrantsApi grants = new GrantsApi(admin);
        Member member = member("cred_member_");
        CredentialsApi asMember = new CredentialsApi(member.client());

        // without CREATE_STORAGE_CREDENTIAL: 403, and no credential is listed
        assertUnityError(() -> asMember.createCredential(aws(unique("mine_"), ROLE)), 403, "PERMISSION_DENIED");
        String shared = unique("shared_");
        String other = unique("other_");
        credentials.createCredential(aws(shared, ROLE));
        credentials.createCredential(aws(other, ROLE));
        assertThat(asMember.listCredentials(1000, null, null).getCredentials()).isNullOrEmpty();
        assertUnityError(() -> asMember.getCredential(shared), 403, "PERMISSION_DENIED");

        // CREATE_EXTERNAL_LOCATION on one credential: that one is seen, the other is not
        grantOn(grants, SecurableType.CREDENTIAL, shared, member.principal(), Privilege.CREATE_EXTERNAL_LOCATION);
        assertThat(asMember.listCredentials(1000, null, null).getCredentials())
                .extracting(CredentialInfo::getName)
                .containsExactly(shared);
        assertThat(asMember.getCredential(shared).getName()).isEqualTo(shared);
        assertUnityError(() -> asMember.getCredential(other), 403, "PERMISSION_DENIED");
        // on a credential, only CREATE_EXTERNAL_LOCATION, MANAGE and ALL_PRIVILEGES are granted;
        // CREATE_STORAGE_CREDENTIAL only on the metastore
        assertUnityError(
                () -> grantOn(grants, SecurableType.CREDENTIAL, shared, member.principal(), Privilege.CREATE_TABLE),
                400,
                "INVALID_ARGUMENT");
        assertUnityError(
                () -> grantOn(
                        grants,
                        SecurableType.CREDENTIAL,
                        shared,
                        member.principal(),
                        Privilege.CREATE_STORAGE_CREDENTIAL),
                400,
                "INVALID_ARGUMENT");

        // external locations name one: unknown is 404; a member needs CREATE_EXTERNAL_LOCATION on the
        // metastore and on the credential it names
        ExternalLocationsApi locations = new ExternalLocationsApi(admin);
        String url = Files.createTempDirectory("cred-loc-").toUri().toString();
        assertUnityError(
                () -> locations.createExternalLocation(new CreateExternalLocation()
                        .name(unique("loc_"))
                        .url(url)
                        .credentialName(unique("nope_"))),
                404,
                "NOT_FOUND");
        grantOn(grants, SecurableType.METASTORE, "metastore", member.principal(), Privilege.CREATE_EXTERNAL_LOCATION);
        // (a privilege on the metastore is not one on each credential, as in UC)
        assertUnityError(() -> asMember.getCredential(other), 403, "PERMISSION_DENIED");
        ExternalLocationsApi memberLocations = new ExternalLocationsApi(member.client());
        String location = unique("loc_");
        assertUnityError(
                () -> memberLocations.createExternalLocation(
                        new CreateExternalLocation().name(location).url(url).credentialName(other)),
                403,
                "PERMISSION_DENIED");
        ExternalLocationInfo named = memberLocations.createExternalLocation(
                new CreateExternalLocation().name(location).url(url).credentialName(shared));
        assertThat(named.getCredentialName()).isEqualTo(shared);
        assertThat(named.getCredentialId())
                .isEqualTo(credentials.getCredential(shared).getId());
        assertThat(locations.getExternalLocation(location).getCredentialName()).isEqualTo(shared);

        // a credential a location names is not deleted without force; a non-owner never deletes it
        assertUnityError(() -> credentials.deleteCredential(shared, null), 400, "INVALID_ARGUMENT");
        assertUnityError(() -> asMember.deleteCredential(shared, true), 403, "PERMISSION_DENIED");
        assertUnityError(
                () -> asMember.updateCredential(shared, new UpdateCredentialRequest().comment("x")),
                403,
                "PERMISSION_DENIED");
        credentials.deleteCredential(shared, true);
        assertUnityError(() -> credentials.getCredential(shared), 404, "NOT_FOUND");
        assertThat(locations.getExternalLocation(location).getCredentialName()).isNull();
        assertThat(grantRows(shared)).isZero();

        // with CREATE_STORAGE_CREDENTIAL the member records one and owns it, and its owner deletes it
        grantOn(grants, SecurableType.METASTORE, "metastore", member.principal(), Privilege.CREATE_STORAGE_CREDENTIAL);
        String mine = unique("mine_");
        assertThat(asMember.createCredential(aws(mine, ROLE)).getOwner()).isEqualTo(member.principal());
        assertThat(asMember.listCredentials(1000, null, null).getCredentials())
                .extracting(CredentialInfo::getName)
                .containsExactly(mine);
        asMember.deleteCredential(mine, null);
        assertUnityError(() -> credentials.getCredential(mine), 404, "NOT_FOUND");
        assertThat(grantRows(mine)).isZero();
        assertThat(actions(mine))
                .contains(
                        "POST /api/2.1/unity-catalog/credentials", "DELETE /api/2.1/unity-catalog/credentials/{name}");

        // a credential's grants are its own: deleting one named as a catalog leaves the catalog's
        String twin = unique("twin_");
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + twin + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + twin + "\",\"name\":\"s\"}"), 201);
        grant("schema", twin + ".s", member.principal(), "USE_SCHEMA");
        credentials.createCredential(aws(twin, ROLE));
        credentials.deleteCredential(twin, null);
        assertThat(jdbc.sql("SELECT count(*) FROM platform.grants WHERE securable_type = 'schema'"
                                + " AND securable_name = ?")
                        .param(twin + ".s")
                        .query(Long.class)
                        .single())
                .isOne();
    }

    private long grantRows(String credential) {
        return jdbc.sql("SELECT (SELECT count(*) FROM platform.grants WHERE securable_type = 'credential'"
                        + " AND securable_name = :n) + (SELECT count(*) FROM platform.owners"
                        + " WHERE securable_type = 'credential' AND securable_name = :n)")
                .param("n", credential)
                .query(Long.class)
                .single();
    }

    private record Member(String principal, ApiClient client, TestHttp http) {}

    private Member member(String prefix) {
        String principal = unique(prefix) + "@example.com";
        principals.create(principal, PrincipalType.USER);
        String key = keys.createFor("k", principal, null).key();
        return new Member(principal, UnityClient.as(port, key), http.withKey(key));
    }

    private List<String> actions(String securable) {
        return audit.list(new AuditQuery(null, securable, null, null, null), Long.MAX_VALUE, 20).stream()
                .map(AuditEvent::action)
                .toList();
    }
}
