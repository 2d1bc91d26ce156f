package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.metadata.ObjectStoresTestBase;
import io.deltaplane.metadata.credentials.CredentialVending;
import io.deltaplane.metadata.credentials.CredentialVendingProperties;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.ApiException;
import io.unitycatalog.client.api.TemporaryCredentialsApi;
import io.unitycatalog.client.auth.TokenProvider;
import io.unitycatalog.client.delta.model.DeltaCredentialsResponse;
import io.unitycatalog.client.model.GenerateTemporaryPathCredential;
import io.unitycatalog.client.model.GenerateTemporaryTableCredential;
import io.unitycatalog.client.model.PathOperation;
import io.unitycatalog.client.model.TableOperation;
import io.unitycatalog.client.model.TemporaryCredentials;
import io.unitycatalog.hadoop.UCCredentialHadoopConfs;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Credential vending on S3 and Azure. S3 through Unity Catalog's own client, and through the Delta REST API as
 * Delta's client asks for it (unitycatalog-hadoop's {@code UCCredentialHadoopConfs}, which
 * delta-storage calls): an engine allowed to read a table is
 * given STS credentials whose session policy reaches only that table's prefix and only to read,
 * asked for with the platform's own key, and a caller without the grant gets a 403 before STS is
 * asked anything. STS itself is {@link FakeSts}: none can be reached here, and S3Proxy refuses
 * session tokens, so what AWS would enforce with the policy is not exercised — the policy is checked
 * as sent. Azure: a directory SAS for a table on an ADLS Gen2 account, read back through Unity
 * Catalog's client models (no emulator has a hierarchical namespace: Azurite, a flat account, is
 * refused with the reason; the SAS itself is checked in the storage library's AzureDirectorySasTest).
 */
@TestPropertySource(properties = "deltaplane.credentials.s3-role-arn=" + CredentialVendingTest.ROLE)
class CredentialVendingTest extends ObjectStoresTestBase {

    static final String ROLE = "arn:aws:iam::000000000000:role/deltaplane-engines";

    private static FakeSts sts;

    @DynamicPropertySource
    static void sts(DynamicPropertyRegistry registry) throws IOException {
        sts = FakeSts.answering("access", "secret"); // S3Proxy's own keys: all it accepts
        Runtime.getRuntime().addShutdownHook(new Thread(sts::close));
        registry.add("AWS_ENDPOINT_URL_STS", sts::endpoint);
    }

    @Autowired
    ApiKeyStore keys;

    @Autowired
    io.deltaplane.support.audit.AuditLog audit;

    @org.junit.jupiter.api.BeforeEach
    void freshSts() {
        sts.clear();
    }

    @Autowired
    PrincipalStore principals;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void anEngineIsGivenCredentialsForItsTablesPrefixAndNoFurtherThanItsGrants() throws Exception {
        String catalog = "vend_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String root = S3_ROOT + "/" + catalog;
        ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + catalog + "\",\"storage_root\":\"" + root + "\"}"),
                200);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        JsonNode created = ok(http.post("/api/v1/tables", tableBody(catalog, Map.of())), 201);
        String table = catalog + ".s.t";
        String location = created.get("location").asString();
        assertThat(location).startsWith(root + "/");
        ok(commit(table, 0, add("part-0.parquet", 10)), 201);
        awaitPublished(table, 1);
        String tableId = created.get("table_id").asString();

        String reader = principal("vend_reader_");
        String writer = principal("vend_writer_");
        String outsider = principal("vend_outsider_");
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        grant("table", table, reader, "SELECT");
        grant("catalog", catalog, writer, "USE_CATALOG");
        grant("schema", catalog + ".s", writer, "USE_SCHEMA");
        grant("table", table, writer, "MODIFY");

        // The reader: read-only credentials, narrowed to the table's prefix.
        TemporaryCredentials read = vendingAs(reader)
                .generateTemporaryTableCredentials(
                        new GenerateTemporaryTableCredential().tableId(tableId).operation(TableOperation.READ));
        assertThat(read.getUrl()).isEqualTo(location);
        assertThat(read.getAwsTempCredentials().getSessionToken()).isNotBlank();
        assertThat(Instant.ofEpochMilli(read.getExpirationTime()))
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(55)),
                        Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(sts.requests()).hasSize(1);
        Map<String, String> asked = sts.requests().get(0);
        assertThat(asked)
                .containsEntry("Action", "AssumeRole")
                .containsEntry("RoleArn", ROLE)
                .containsEntry("RoleSessionName", "deltaplane-" + reader)
                .containsEntry("DurationSeconds", "3600");
        assertThat(asked.get("authorization")).contains("Credential=access/"); // the platform's own key
        String prefix = location.substring("s3://lake/".length());
        JsonNode policy = JSON.readTree(asked.get("Policy"));
        assertThat(policy.get("Statement").get(0).get("Action").toString()).isEqualTo("[\"s3:GetObject\"]");
        assertThat(policy.get("Statement").get(0).get("Resource").toString())
                .isEqualTo("[\"arn:aws:s3:::lake/" + prefix + "/*\"]");
        assertThat(policy.get("Statement").get(1).get("Resource").toString()).isEqualTo("[\"arn:aws:s3:::lake\"]");
        assertThat(policy.get("Statement")
                        .get(1)
                        .get("Condition")
                        .get("StringLike")
                        .get("s3:prefix")
                        .toString())
                .isEqualTo("[\"" + prefix + "/*\"]");

        // What STS issued, passed on whole. (Using them against S3Proxy is not possible: it answers
        // 501 to any request carrying a session token.)
        assertThat(read.getAwsTempCredentials().getAccessKeyId()).isEqualTo("access");
        assertThat(read.getAwsTempCredentials().getSecretAccessKey()).isEqualTo("secret");
        assertThat(read.getAwsTempCredentials().getSessionToken()).isEqualTo("session-token-1");

        // Writing needs MODIFY: the reader is refused before STS hears of it; the writer's policy writes.
        assertForbidden(() -> vendingAs(reader)
                .generateTemporaryTableCredentials(
                        new GenerateTemporaryTableCredential().tableId(tableId).operation(TableOperation.READ_WRITE)));
        assertForbidden(() -> vendingAs(outsider)
                .generateTemporaryTableCredentials(
                        new GenerateTemporaryTableCredential().tableId(tableId).operation(TableOperation.READ)));
        assertForbidden(() -> vendingAs(writer)
                .generateTemporaryPathCredentials(
                        new GenerateTemporaryPathCredential().url(location).operation(PathOperation.PATH_READ)));
        assertThat(sts.requests()).hasSize(1);
        vendingAs(writer)
                .generateTemporaryTableCredentials(
                        new GenerateTemporaryTableCredential().tableId(tableId).operation(TableOperation.READ_WRITE));
        assertThat(sts.requests()).hasSize(2);
        JsonNode writePolicy = JSON.readTree(sts.requests().get(1).get("Policy"));
        assertThat(writePolicy.get("Statement").get(0).get("Action").toString())
                .isEqualTo("[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\","
                        + "\"s3:AbortMultipartUpload\",\"s3:ListMultipartUploadParts\"]");
        assertThat(sts.requests().get(1)).containsEntry("RoleSessionName", "deltaplane-" + writer);

        // Delta's own path (delta-storage's UC client calls unitycatalog-hadoop): the Delta REST API's
        // credentials, turned into the Hadoop settings an s3a file system reads.
        Map<String, String> hadoop = UCCredentialHadoopConfs.builder("http://localhost:" + port, "s3")
                .tokenProvider(TokenProvider.create(Map.of(
                        "type",
                        "static",
                        "token",
                        keys.createFor("vend", writer, null).key())))
                .buildForTable(catalog, "s", "t", UCCredentialHadoopConfs.TableOperation.READ_WRITE, location);
        assertThat(sts.requests()).hasSize(3);
        assertThat(JSON.readTree(sts.requests().get(2).get("Policy"))
                        .get("Statement")
                        .get(0)
                        .get("Action")
                        .toString())
                .contains("s3:PutObject");
        assertThat(hadoop).containsValue("session-token-3").containsValue("access");
        assertThatThrownBy(() -> UCCredentialHadoopConfs.builder("http://localhost:" + port, "s3")
                        .tokenProvider(TokenProvider.create(Map.of(
                                "type",
                                "static",
                                "token",
                                keys.createFor("vend", reader, null).key())))
                        .buildForTable(catalog, "s", "t", UCCredentialHadoopConfs.TableOperation.READ_WRITE, location))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThat(sts.requests()).hasSize(3);

        // A metastore admin may ask for a path; PATH_READ reads only.
        TemporaryCredentials path = withKey(ADMIN_KEY)
                .generateTemporaryPathCredentials(
                        new GenerateTemporaryPathCredential().url(root).operation(PathOperation.PATH_READ));
        assertThat(path.getUrl()).isEqualTo(root);
        JsonNode pathPolicy = JSON.readTree(sts.requests().get(3).get("Policy"));
        assertThat(pathPolicy.get("Statement").get(0).get("Resource").toString())
                .isEqualTo("[\"arn:aws:s3:::lake/" + root.substring("s3://lake/".length()) + "/*\"]");
        assertThat(pathPolicy.get("Statement").get(0).get("Action").toString()).isEqualTo("[\"s3:GetObject\"]");

        // Sent again with the same Idempotency-Key: vended afresh (authorized again), never replayed
        // from a store, and marked no-store.
        int sent = sts.requests().size();
        for (int i = 0; i < 2; i++) {
            var again = http.send(
                    "POST",
                    "/api/2.1/unity-catalog/temporary-table-credentials",
                    "{\"table_id\":\"" + tableId + "\",\"operation\":\"READ\"}",
                    "Idempotency-Key",
                    "vend-once-" + tableId);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
        }
        assertThat(sts.requests()).hasSize(sent + 2);
    }

    @Test
    void whereNothingIsVendedTheAnswerSaysWhatToDoInstead() throws Exception {
        String catalog = "vaz_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + catalog + "\",\"storage_root\":\"" + AZURE_ROOT + "/" + catalog + "\"}"),
                200);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        String tableId = ok(http.post("/api/v1/tables", tableBody(catalog, Map.of())), 201)
                .get("table_id")
                .asString();
        int before = sts.requests().size();
        assertThatThrownBy(() -> withKey(ADMIN_KEY)
                        .generateTemporaryTableCredentials(new GenerateTemporaryTableCredential()
                                .tableId(tableId)
                                .operation(TableOperation.READ)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    // The store was asked: Azurite is a flat Blob account, where no SAS narrower than a
                    // container exists.
                    assertThat(JSON.readTree(e.getResponseBody()).get("message").asString())
                            .contains("has no hierarchical namespace", "credentialVending.enabled=false");
                });
        assertThat(sts.requests()).hasSize(before);

        // An external table on S3 (its creator named the location, which may hold files no table of
        // theirs wrote): no credentials for that prefix.
        String external = "vex_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + external + "\"}"), 201);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + external + "\",\"name\":\"s\"}"), 201);
        String externalId = ok(
                        http.post(
                                "/api/v1/tables",
                                "{\"catalog_name\":\"" + external + "\",\"schema_name\":\"s\",\"name\":\"t\","
                                        + "\"schema\":" + SCHEMA + ",\"location\":\"" + S3_ROOT + "/" + external
                                        + "/claimed\"}"),
                        201)
                .get("table_id")
                .asString();
        assertThatThrownBy(() -> withKey(ADMIN_KEY)
                        .generateTemporaryTableCredentials(new GenerateTemporaryTableCredential()
                                .tableId(externalId)
                                .operation(TableOperation.READ)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(JSON.readTree(e.getResponseBody()).get("message").asString())
                            .contains("external table", "managed tables");
                });
        assertThat(sts.requests()).hasSize(before);

        // An operator who named no role: S3 is not vended either, and the answer names the setting.
        CredentialVending none = new CredentialVending(
                new CredentialVendingProperties(null, Duration.ofHours(1), null),
                new StandardEnvironment(),
                Clock.systemUTC());
        assertThatThrownBy(() -> none.unity("s3://lake/t", false, "someone"))
                .isInstanceOfSatisfying(
                        io.deltaplane.support.problem.ApiException.class,
                        e -> assertThat(e.getMessage()).contains("DELTAPLANE_CREDENTIALS_S3_ROLE_ARN"));
        assertThat(sts.requests()).hasSize(before);
    }

    @Test
    void onAnAdlsGen2AccountATableGetsADirectorySasInTheShapesUnityCatalogsClientsRead() throws Exception {
        // The operator says the accounts are ADLS Gen2 (Azurite cannot be one); the key is the app's own.
        int stsAsked = sts.requests().size();
        CredentialVending vending = new CredentialVending(
                new CredentialVendingProperties(null, Duration.ofHours(1), true), environment, Clock.systemUTC());
        String location = AZURE_ROOT + "/sales/eu/orders";

        String unity = JSON.writeValueAsString(vending.unity(location, false, "reader"));
        TemporaryCredentials read = new ApiClient().getObjectMapper().readValue(unity, TemporaryCredentials.class);
        assertThat(read.getUrl()).isEqualTo(location);
        assertThat(read.getAwsTempCredentials()).isNull();
        String sas = read.getAzureUserDelegationSas().getSasToken();
        assertThat(sas).contains("sr=d", "sdd=4", "sp=rl", "sig="); // governed/sales/eu/orders, read and list
        assertThat(Instant.ofEpochMilli(read.getExpirationTime()))
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(59)),
                        Instant.now().plus(Duration.ofMinutes(61)));

        String delta = JSON.writeValueAsString(vending.delta(location, true, "writer"));
        DeltaCredentialsResponse write =
                new ApiClient().getObjectMapper().readValue(delta, DeltaCredentialsResponse.class);
        assertThat(write.getStorageCredentials()).hasSize(1);
        assertThat(write.getStorageCredentials().get(0).getPrefix()).isEqualTo(location);
        String writeSas = write.getStorageCredentials().get(0).getConfig().getAzureSasToken();
        assertThat(writeSas).contains("sr=d", "sdd=4");
        java.util.regex.Matcher permissions =
                java.util.regex.Pattern.compile("sp=([a-z]+)").matcher(writeSas);
        assertThat(permissions.find()).isTrue();
        assertThat(permissions.group(1)).contains("r", "l", "c", "w", "d", "m");
        assertThat(sts.requests()).hasSize(stsAsked); // nothing of S3's asked
    }

    /**
     * Iceberg clients are vended what the other doors vend: read credentials for the table's prefix,
     * from its {@code /credentials} and in {@code loadTable} when they ask for delegation, read back
     * with Iceberg's own response parsers; a caller without SELECT is refused before STS is asked.
     */
    @Test
    void icebergClientsAreGivenReadCredentialsForTheTablesPrefixOnly() throws Exception {
        String catalog =
                "ivend_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String root = S3_ROOT + "/" + catalog;
        ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + catalog + "\",\"storage_root\":\"" + root + "\"}"),
                200);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        String location = ok(http.post("/api/v1/tables", tableBody(catalog, Map.of())), 201)
                .get("location")
                .asString();
        String table = catalog + ".s.t";
        ok(commit(table, 0, add("part-0.parquet", 10)), 201);
        String reader = principal("ice_reader_");
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        grant("table", table, reader, "SELECT");
        var asReader = http.withKey(keys.createFor("iceberg", reader, null).key());
        String base = "/api/2.1/unity-catalog/iceberg/v1/catalogs/" + catalog + "/namespaces/s/tables/t";

        int asked = sts.requests().size();
        var answer = asReader.get(base + "/credentials");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        var vended = org.apache.iceberg.rest.responses.LoadCredentialsResponseParser.fromJson(answer.body())
                .credentials();
        assertThat(vended).hasSize(1);
        assertThat(vended.get(0).prefix()).isEqualTo(location);
        assertThat(vended.get(0).config())
                .containsEntry("s3.access-key-id", "access")
                .containsEntry("s3.secret-access-key", "secret")
                .containsKey("s3.session-token")
                .containsKey("s3.session-token-expires-at-ms");
        assertThat(sts.requests()).hasSize(asked + 1);
        Map<String, String> request = sts.requests().get(asked);
        assertThat(request).containsEntry("RoleSessionName", "deltaplane-" + reader);
        JsonNode policy = JSON.readTree(request.get("Policy"));
        assertThat(policy.get("Statement").get(0).get("Action").toString()).isEqualTo("[\"s3:GetObject\"]");
        assertThat(policy.get("Statement").get(0).get("Resource").toString())
                .isEqualTo("[\"arn:aws:s3:::lake/" + location.substring("s3://lake/".length()) + "/*\"]");

        // loadTable with access delegation carries them too (and its metadata was made on S3)
        var load = asReader.get(base, "X-Iceberg-Access-Delegation", "vended-credentials");
        assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
        var loaded = org.apache.iceberg.rest.responses.LoadTableResponseParser.fromJson(load.body());
        assertThat(loaded.metadataLocation()).startsWith(location + "/_iceberg/metadata/");
        assertThat(loaded.credentials()).hasSize(1);
        assertThat(loaded.credentials().get(0).prefix()).isEqualTo(location);
        assertThat(loaded.credentials().get(0).config()).containsKey("s3.session-token");
        assertThat(sts.requests()).hasSize(asked + 2);
        // without the header: no credentials, STS not asked
        var plainLoad = asReader.get(base);
        assertThat(org.apache.iceberg.rest.responses.LoadTableResponseParser.fromJson(plainLoad.body())
                        .credentials())
                .isEmpty();
        assertThat(sts.requests()).hasSize(asked + 2);

        // every vending is in the audit trail, a load without credentials is not
        java.util.Set<String> audited = new java.util.HashSet<>();
        for (io.deltaplane.support.audit.AuditEvent row : audit.list(
                new io.deltaplane.support.audit.AuditQuery(null, table, null, null, null), Long.MAX_VALUE, 100)) {
            audited.add(row.requestId());
        }
        assertThat(audited).contains(requestId(answer), requestId(load)).doesNotContain(requestId(plainLoad));

        // no SELECT: refused before STS hears of it
        var outsider = http.withKey(
                keys.createFor("iceberg", principal("ice_outsider_"), null).key());
        assertThat(outsider.get(base + "/credentials").statusCode()).isEqualTo(403);
        assertThat(outsider.get(base, "X-Iceberg-Access-Delegation", "vended-credentials")
                        .statusCode())
                .isEqualTo(403);
        assertThat(sts.requests()).hasSize(asked + 2);
    }

    @Test
    void aVolumesReadersAndWritersAreGivenCredentialsForItsDirectoryAlone() throws Exception {
        String catalog = "volv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String root = S3_ROOT + "/" + catalog;
        ok(
                http.post(
                        "/api/2.1/unity-catalog/catalogs",
                        "{\"name\":\"" + catalog + "\",\"storage_root\":\"" + root + "\"}"),
                200);
        ok(http.post("/api/v1/schemas", "{\"catalog_name\":\"" + catalog + "\",\"name\":\"s\"}"), 201);
        JsonNode volume = ok(
                http.post(
                        "/api/2.1/unity-catalog/volumes",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"drops\","
                                + "\"volume_type\":\"MANAGED\"}"),
                200);
        String location = volume.get("storage_location").asString();
        assertThat(location).startsWith(root + "/__unitystorage/catalogs/");
        String volumeId = volume.get("volume_id").asString();
        String reader = principal("volv_reader_");
        String writer = principal("volv_writer_");
        for (String who : new String[] {reader, writer}) {
            grant("catalog", catalog, who, "USE_CATALOG");
            grant("schema", catalog + ".s", who, "USE_SCHEMA");
        }
        grant("volume", catalog + ".s.drops", reader, "READ_VOLUME");
        grant("volume", catalog + ".s.drops", writer, "WRITE_VOLUME");

        TemporaryCredentials read = vendingAs(reader)
                .generateTemporaryVolumeCredentials(new io.unitycatalog.client.model.GenerateTemporaryVolumeCredential()
                        .volumeId(volumeId)
                        .operation(io.unitycatalog.client.model.VolumeOperation.READ_VOLUME));
        assertThat(read.getUrl()).isEqualTo(location);
        assertThat(read.getAwsTempCredentials().getSessionToken()).isEqualTo("session-token-1");
        JsonNode policy = JSON.readTree(sts.requests().get(0).get("Policy"));
        String prefix = location.substring("s3://lake/".length());
        assertThat(policy.get("Statement").get(0).get("Action").toString()).isEqualTo("[\"s3:GetObject\"]");
        assertThat(policy.get("Statement").get(0).get("Resource").toString())
                .isEqualTo("[\"arn:aws:s3:::lake/" + prefix + "/*\"]");
        assertThat(sts.requests().get(0)).containsEntry("RoleSessionName", "deltaplane-" + reader);

        // writing needs WRITE_VOLUME: the reader is refused before STS hears of it
        assertForbidden(() -> vendingAs(reader)
                .generateTemporaryVolumeCredentials(new io.unitycatalog.client.model.GenerateTemporaryVolumeCredential()
                        .volumeId(volumeId)
                        .operation(io.unitycatalog.client.model.VolumeOperation.WRITE_VOLUME)));
        assertThat(sts.requests()).hasSize(1);
        vendingAs(writer)
                .generateTemporaryVolumeCredentials(new io.unitycatalog.client.model.GenerateTemporaryVolumeCredential()
                        .volumeId(volumeId)
                        .operation(io.unitycatalog.client.model.VolumeOperation.WRITE_VOLUME));
        assertThat(sts.requests()).hasSize(2);
        assertThat(JSON.readTree(sts.requests().get(1).get("Policy"))
                        .get("Statement")
                        .get(0)
                        .get("Action")
                        .toString())
                .contains("s3:PutObject");
        // every vending is in the audit trail against the volume
        assertThat(audit
                        .list(
                                new io.deltaplane.support.audit.AuditQuery(
                                        null, catalog + ".s.drops", null, null, null),
                                Long.MAX_VALUE,
                                100)
                        .stream()
                        .filter(e -> e.action().endsWith("temporary-volume-credentials") && e.status() == 200))
                .hasSize(2);
    }

    private static String requestId(java.net.http.HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    private String principal(String prefix) {
        String name = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(name, PrincipalType.SERVICE_PRINCIPAL);
        return name;
    }

    private TemporaryCredentialsApi vendingAs(String principal) {
        return withKey(keys.createFor("vend", principal, null).key());
    }

    private TemporaryCredentialsApi withKey(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port + "/api/2.1/unity-catalog");
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        return new TemporaryCredentialsApi(client);
    }

    private static void assertForbidden(ThrowingCall call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getCode()).isEqualTo(403);
            assertThat(JSON.readTree(e.getResponseBody()).get("error_code").asString())
                    .isEqualTo("PERMISSION_DENIED");
        });
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }
}
