package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.support.security.ApiKeyStore;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.GrantsApi;
import io.unitycatalog.client.api.ModelVersionsApi;
import io.unitycatalog.client.api.RegisteredModelsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TemporaryCredentialsApi;
import io.unitycatalog.client.api.VolumesApi;
import io.unitycatalog.client.model.CatalogInfo;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateModelVersion;
import io.unitycatalog.client.model.CreateRegisteredModel;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateVolumeRequestContent;
import io.unitycatalog.client.model.FinalizeModelVersion;
import io.unitycatalog.client.model.GenerateTemporaryModelVersionCredential;
import io.unitycatalog.client.model.ListModelVersionsResponse;
import io.unitycatalog.client.model.ListRegisteredModelsResponse;
import io.unitycatalog.client.model.ModelVersionInfo;
import io.unitycatalog.client.model.ModelVersionOperation;
import io.unitycatalog.client.model.ModelVersionStatus;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.RegisteredModelInfo;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.UpdateModelVersion;
import io.unitycatalog.client.model.UpdateRegisteredModel;
import io.unitycatalog.client.model.VolumeType;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Registered models and model versions (MLflow's Unity Catalog registry) through Unity Catalog's own
 * Java client (unitycatalog-client 0.6.0, unchanged), written from UC's API documents and server:
 * create (placed by the catalog as a managed volume is), get, list with paging, comment and rename;
 * versions numbered in order, PENDING_REGISTRATION then READY, paged, commented, dropped; temporary
 * credentials by status and grants; grants (CREATE_MODEL, EXECUTE); drop with and without force.
 */
class UnityModelsTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcClient jdbc;

    private ApiClient admin;
    private String catalog;
    private CatalogInfo catalogInfo;

    @BeforeEach
    void catalogWithSchema() throws Exception {
        admin = UnityClient.as(port, ADMIN_KEY);
        catalog = UnityClient.unique("mdl_");
        catalogInfo = new CatalogsApi(admin).createCatalog(new CreateCatalog().name(catalog));
        new SchemasApi(admin)
                .createSchema(new CreateSchema().catalogName(catalog).name("ml"));
    }

    private CreateRegisteredModel model(String name) {
        return new CreateRegisteredModel().catalogName(catalog).schemaName("ml").name(name);
    }

    private CreateModelVersion newVersion(String model) {
        return new CreateModelVersion()
                .catalogName(catalog)
                .schemaName("ml")
                .modelName(model)
                .source("runs:/r1/model")
                .runId("r1");
    }

    private String full(String model) {
        return catalog + ".ml." + model;
    }

    @Test
    void aModelAndItsVersionsRoundTrip() throws Exception {
        RegisteredModelsApi models = new RegisteredModelsApi(admin);
        ModelVersionsApi versions = new ModelVersionsApi(admin);
        RegisteredModelInfo created =
                models.createRegisteredModel(model("churn").comment("first try"));

        assertThat(created.getName()).isEqualTo("churn");
        assertThat(created.getCatalogName()).isEqualTo(catalog);
        assertThat(created.getSchemaName()).isEqualTo("ml");
        assertThat(created.getFullName()).isEqualTo(full("churn"));
        assertThat(created.getComment()).isEqualTo("first try");
        assertThat(created.getOwner()).isEqualTo("admin").isEqualTo(created.getCreatedBy());
        assertThat(created.getUpdatedBy()).isEqualTo("admin");
        assertThat(created.getCreatedAt()).isPositive().isEqualTo(created.getUpdatedAt());
        UUID id = UUID.fromString(created.getId());
        // UC's layout, as a managed volume's: <root>/__unitystorage/catalogs/<catalog id>/models/<model id>
        assertThat(created.getStorageLocation())
                .startsWith("file:/")
                .endsWith("/__unitystorage/catalogs/" + catalogInfo.getId() + "/models/" + id);
        assertThat(models.getRegisteredModel(full("churn"))).isEqualTo(created);

        // paging, in name order: max_results=1, then the token
        models.createRegisteredModel(model("ranker"));
        ListRegisteredModelsResponse first = models.listRegisteredModels(catalog, "ml", 1, null);
        assertThat(first.getRegisteredModels())
                .extracting(RegisteredModelInfo::getName)
                .containsExactly("churn");
        assertThat(first.getNextPageToken()).isNotBlank();
        ListRegisteredModelsResponse second = models.listRegisteredModels(catalog, "ml", 1, first.getNextPageToken());
        assertThat(second.getRegisteredModels())
                .extracting(RegisteredModelInfo::getName)
                .containsExactly("ranker");
        assertThat(second.getNextPageToken()).isNull();

        // versions: numbered in order, pending, each in its own directory inside the model's
        ModelVersionInfo v1 = versions.createModelVersion(newVersion("churn").comment("baseline"));
        ModelVersionInfo v2 = versions.createModelVersion(newVersion("churn"));
        assertThat(v1.getVersion()).isEqualTo(1L);
        assertThat(v2.getVersion()).isEqualTo(2L);
        assertThat(v1.getModelName()).isEqualTo("churn");
        assertThat(v1.getCatalogName()).isEqualTo(catalog);
        assertThat(v1.getSchemaName()).isEqualTo("ml");
        assertThat(v1.getSource()).isEqualTo("runs:/r1/model");
        assertThat(v1.getRunId()).isEqualTo("r1");
        assertThat(v1.getComment()).isEqualTo("baseline");
        assertThat(v1.getCreatedBy()).isEqualTo("admin");
        assertThat(v1.getStatus()).isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);
        assertThat(v2.getStatus()).isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);
        assertThat(v1.getStorageLocation())
                .isEqualTo(created.getStorageLocation() + "/versions/" + UUID.fromString(v1.getId()));
        assertThat(v2.getStorageLocation()).startsWith(created.getStorageLocation() + "/versions/");
        assertThat(versions.getModelVersion(full("churn"), 1L)).isEqualTo(v1);

        // versions page in number order
        ListModelVersionsResponse page1 = versions.listModelVersions(full("churn"), 1, null);
        assertThat(page1.getModelVersions())
                .extracting(ModelVersionInfo::getVersion)
                .containsExactly(1L);
        assertThat(page1.getNextPageToken()).isNotBlank();
        ListModelVersionsResponse page2 = versions.listModelVersions(full("churn"), 1, page1.getNextPageToken());
        assertThat(page2.getModelVersions())
                .extracting(ModelVersionInfo::getVersion)
                .containsExactly(2L);
        assertThat(page2.getNextPageToken()).isNull();
        // UC's own token (the last version listed) continues the same way
        assertThat(versions.listModelVersions(full("churn"), 10, "1").getModelVersions())
                .extracting(ModelVersionInfo::getVersion)
                .containsExactly(2L);

        // finalize 1: READY; finalizing it again is refused, as UC does
        ModelVersionInfo ready = versions.finalizeModelVersion(
                full("churn"),
                1L,
                new FinalizeModelVersion().fullName(full("churn")).version(1L));
        assertThat(ready.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(versions.getModelVersion(full("churn"), 1L).getStatus()).isEqualTo(ModelVersionStatus.READY);
        UnityClient.assertUnityError(
                () -> versions.finalizeModelVersion(
                        full("churn"),
                        1L,
                        new FinalizeModelVersion().fullName(full("churn")).version(1L)),
                400,
                "INVALID_ARGUMENT");
        assertThat(versions.getModelVersion(full("churn"), 2L).getStatus())
                .isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);

        // a version's comment
        ModelVersionInfo commented =
                versions.updateModelVersion(full("churn"), 2L, new UpdateModelVersion().comment("candidate"));
        assertThat(commented.getComment()).isEqualTo("candidate");
        assertThat(commented.getVersion()).isEqualTo(2L);
        assertThat(versions.getModelVersion(full("churn"), 2L).getComment()).isEqualTo("candidate");

        // drop version 2: gone, its directory reserved; the next version is 3 (numbers never reused)
        versions.deleteModelVersion(full("churn"), 2L);
        UnityClient.assertUnityError(() -> versions.getModelVersion(full("churn"), 2L), 404, "NOT_FOUND");
        assertThat(reservedAs(v2.getStorageLocation())).containsExactly("model version " + full("churn") + "/2");
        assertThat(versions.createModelVersion(newVersion("churn")).getVersion())
                .isEqualTo(3L);

        // comment, then rename: the old name is gone; id, directory and versions follow
        RegisteredModelInfo recommented =
                models.updateRegisteredModel(full("churn"), new UpdateRegisteredModel().comment("v1 is live"));
        assertThat(recommented.getComment()).isEqualTo("v1 is live");
        assertThat(recommented.getUpdatedAt()).isGreaterThanOrEqualTo(created.getCreatedAt());
        RegisteredModelInfo renamed =
                models.updateRegisteredModel(full("churn"), new UpdateRegisteredModel().newName("attrition"));
        assertThat(renamed.getFullName()).isEqualTo(full("attrition"));
        assertThat(renamed.getId()).isEqualTo(created.getId());
        assertThat(renamed.getStorageLocation()).isEqualTo(created.getStorageLocation());
        assertThat(renamed.getComment()).isEqualTo("v1 is live");
        UnityClient.assertUnityError(() -> models.getRegisteredModel(full("churn")), 404, "NOT_FOUND");
        assertThat(versions.listModelVersions(full("attrition"), null, null).getModelVersions())
                .extracting(ModelVersionInfo::getVersion, ModelVersionInfo::getModelName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, "attrition"),
                        org.assertj.core.groups.Tuple.tuple(3L, "attrition"));
        UnityClient.assertUnityError(
                () -> models.updateRegisteredModel(full("attrition"), new UpdateRegisteredModel().newName("ranker")),
                409,
                "ALREADY_EXISTS");
        UnityClient.assertUnityError(
                () -> models.updateRegisteredModel(full("attrition"), new UpdateRegisteredModel()),
                400,
                "INVALID_ARGUMENT");

        // a schema holding a model is not empty
        UnityClient.assertUnityError(
                () -> new SchemasApi(admin).deleteSchema(catalog + ".ml", false), 409, "ALREADY_EXISTS");

        // a model with versions is not dropped without force (UC: ABORTED, 409); with force it is
        versions.createModelVersion(newVersion("ranker"));
        UnityClient.assertUnityError(() -> models.deleteRegisteredModel(full("ranker"), false), 409, "ALREADY_EXISTS");
        assertThat(models.getRegisteredModel(full("ranker")).getName()).isEqualTo("ranker");
        String rankerLocation = models.getRegisteredModel(full("ranker")).getStorageLocation();
        models.deleteRegisteredModel(full("ranker"), true);
        UnityClient.assertUnityError(() -> models.getRegisteredModel(full("ranker")), 404, "NOT_FOUND");
        UnityClient.assertUnityError(() -> versions.getModelVersion(full("ranker"), 1L), 404, "NOT_FOUND");
        assertThat(reservedAs(rankerLocation)).containsExactly("model " + full("ranker"));
        // the create and the drop are in the audit trail, against the model
        List<String> actions =
                audit.list(new AuditQuery(null, full("ranker"), null, null, null), Long.MAX_VALUE, 20).stream()
                        .map(AuditEvent::action)
                        .toList();
        assertThat(actions)
                .contains("POST /api/2.1/unity-catalog/models", "DELETE /api/2.1/unity-catalog/models/{fullName}");

        // a model without versions drops without force; a force-dropped schema reserves its models' directories
        models.createRegisteredModel(model("empty"));
        models.deleteRegisteredModel(full("empty"), null);
        UnityClient.assertUnityError(() -> models.getRegisteredModel(full("empty")), 404, "NOT_FOUND");
        new SchemasApi(admin).deleteSchema(catalog + ".ml", true);
        UnityClient.assertUnityError(() -> models.getRegisteredModel(full("attrition")), 404, "NOT_FOUND");
        assertThat(reservedAs(created.getStorageLocation())).containsExactly("model " + full("attrition"));
    }

    @Test
    void unitysNegativeCases() throws Exception {
        RegisteredModelsApi models = new RegisteredModelsApi(admin);
        ModelVersionsApi versions = new ModelVersionsApi(admin);
        models.createRegisteredModel(model("churn"));

        UnityClient.assertUnityError(() -> models.createRegisteredModel(model("churn")), 409, "ALREADY_EXISTS");
        UnityClient.assertUnityError(
                () -> models.createRegisteredModel(model("x").schemaName("nope")), 404, "SCHEMA_NOT_FOUND");
        UnityClient.assertUnityError(() -> models.createRegisteredModel(model("bad-name!")), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> models.createRegisteredModel(
                        new CreateRegisteredModel().catalogName(catalog).schemaName("ml")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(() -> models.getRegisteredModel(full("nope")), 404, "NOT_FOUND");
        UnityClient.assertUnityError(() -> models.getRegisteredModel("only.two"), 400, "INVALID_ARGUMENT");
        // UC: catalog and schema are given together, or neither
        UnityClient.assertUnityError(
                () -> models.listRegisteredModels(catalog, null, null, null), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> models.listRegisteredModels(catalog, "nope", null, null), 404, "SCHEMA_NOT_FOUND");
        UnityClient.assertUnityError(
                () -> models.listRegisteredModels(catalog, "ml", -1, null), 400, "INVALID_ARGUMENT");
        // neither: the metastore's models (the admin sees this catalog's among them)
        assertThat(models.listRegisteredModels(null, null, 1000, null).getRegisteredModels())
                .extracting(RegisteredModelInfo::getFullName)
                .contains(full("churn"));

        UnityClient.assertUnityError(() -> versions.createModelVersion(newVersion("nope")), 404, "NOT_FOUND");
        UnityClient.assertUnityError(
                () -> versions.createModelVersion(newVersion("churn").source(null)), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> versions.createModelVersion(newVersion("churn").modelName(null)), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(() -> versions.getModelVersion(full("churn"), 7L), 404, "NOT_FOUND");
        UnityClient.assertUnityError(() -> versions.listModelVersions(full("nope"), null, null), 404, "NOT_FOUND");
        UnityClient.assertUnityError(
                () -> versions.updateModelVersion(full("churn"), 7L, new UpdateModelVersion().comment("x")),
                404,
                "NOT_FOUND");
        UnityClient.assertUnityError(() -> versions.deleteModelVersion(full("churn"), 7L), 404, "NOT_FOUND");
        versions.createModelVersion(newVersion("churn"));
        UnityClient.assertUnityError(
                () -> versions.updateModelVersion(full("churn"), 1L, new UpdateModelVersion()),
                400,
                "INVALID_ARGUMENT");
        // finalize: UC needs the body's full_name and version; here they must name the path's version
        UnityClient.assertUnityError(
                () -> versions.finalizeModelVersion(full("churn"), 1L, new FinalizeModelVersion()),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> versions.finalizeModelVersion(
                        full("churn"),
                        1L,
                        new FinalizeModelVersion().fullName(full("churn")).version(2L)),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> versions.finalizeModelVersion(
                        full("churn"),
                        7L,
                        new FinalizeModelVersion().fullName(full("churn")).version(7L)),
                404,
                "NOT_FOUND");
        // the refusals changed nothing
        assertThat(versions.getModelVersion(full("churn"), 1L).getStatus())
                .isEqualTo(ModelVersionStatus.PENDING_REGISTRATION);
    }

    @Test
    void grantsDecideWhoSeesReadsCreatesAndDropsModels() throws Exception {
        RegisteredModelsApi models = new RegisteredModelsApi(admin);
        ModelVersionsApi versions = new ModelVersionsApi(admin);
        models.createRegisteredModel(model("shared"));
        models.createRegisteredModel(model("private"));
        versions.createModelVersion(newVersion("shared"));
        versions.createModelVersion(newVersion("private"));
        String reader = UnityClient.unique("mdl_reader_") + "@example.com";
        principals.create(reader, PrincipalType.USER);
        ApiClient asReaderClient =
                UnityClient.as(port, keys.createFor("r", reader, null).key());
        RegisteredModelsApi asReader = new RegisteredModelsApi(asReaderClient);
        ModelVersionsApi asReaderVersions = new ModelVersionsApi(asReaderClient);
        GrantsApi grants = new GrantsApi(admin);
        UnityClient.grant(grants, SecurableType.CATALOG, catalog, reader, Privilege.USE_CATALOG);
        UnityClient.grant(grants, SecurableType.SCHEMA, catalog + ".ml", reader, Privilege.USE_SCHEMA);

        // USE_SCHEMA alone: nothing listed, nothing read, nothing made
        assertThat(asReader.listRegisteredModels(catalog, "ml", null, null).getRegisteredModels())
                .isNullOrEmpty();
        assertThat(asReader.listRegisteredModels(null, null, null, null).getRegisteredModels())
                .extracting(RegisteredModelInfo::getFullName)
                .doesNotContain(full("shared"), full("private"));
        UnityClient.assertUnityError(() -> asReader.getRegisteredModel(full("shared")), 403, "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> asReaderVersions.getModelVersion(full("shared"), 1L), 403, "PERMISSION_DENIED");
        UnityClient.assertUnityError(() -> asReader.createRegisteredModel(model("mine")), 403, "PERMISSION_DENIED");

        // EXECUTE on one model: that one is listed and read, with its versions; the other is not
        UnityClient.grant(grants, SecurableType.REGISTERED_MODEL, full("shared"), reader, Privilege.EXECUTE);
        JsonNode assignments = get("/api/2.1/unity-catalog/permissions/registered_model/" + full("shared"))
                .get("privilege_assignments");
        assertThat(assignments).hasSize(1);
        assertThat(assignments.get(0).get("principal").asString()).isEqualTo(reader);
        assertThat(assignments.get(0).get("privileges").toString()).isEqualTo("[\"EXECUTE\"]");
        assertThat(asReader.listRegisteredModels(catalog, "ml", null, null).getRegisteredModels())
                .extracting(RegisteredModelInfo::getName)
                .containsExactly("shared");
        assertThat(asReader.listRegisteredModels(null, null, null, null).getRegisteredModels())
                .extracting(RegisteredModelInfo::getFullName)
                .contains(full("shared"))
                .doesNotContain(full("private"));
        assertThat(asReader.getRegisteredModel(full("shared")).getName()).isEqualTo("shared");
        assertThat(asReaderVersions.getModelVersion(full("shared"), 1L).getVersion())
                .isEqualTo(1L);
        assertThat(asReaderVersions
                        .listModelVersions(full("shared"), null, null)
                        .getModelVersions())
                .hasSize(1);
        UnityClient.assertUnityError(() -> asReader.getRegisteredModel(full("private")), 403, "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> asReaderVersions.listModelVersions(full("private"), null, null), 403, "PERMISSION_DENIED");
        // a reader neither writes versions, renames nor drops it (UC: the model's owner)
        UnityClient.assertUnityError(
                () -> asReaderVersions.createModelVersion(newVersion("shared")), 403, "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> asReaderVersions.finalizeModelVersion(
                        full("shared"),
                        1L,
                        new FinalizeModelVersion().fullName(full("shared")).version(1L)),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> asReaderVersions.deleteModelVersion(full("shared"), 1L), 403, "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> asReader.updateRegisteredModel(full("shared"), new UpdateRegisteredModel().comment("x")),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> asReader.deleteRegisteredModel(full("shared"), true), 403, "PERMISSION_DENIED");
        // a rename takes its grants along
        models.updateRegisteredModel(full("shared"), new UpdateRegisteredModel().newName("common"));
        assertThat(asReader.getRegisteredModel(full("common")).getName()).isEqualTo("common");
        UnityClient.assertUnityError(() -> asReader.getRegisteredModel(full("shared")), 403, "PERMISSION_DENIED");

        // EXECUTE means something on a function or a model, not on a volume; CREATE_MODEL on a schema, not a model
        new VolumesApi(admin)
                .createVolume(new CreateVolumeRequestContent()
                        .catalogName(catalog)
                        .schemaName("ml")
                        .name("files")
                        .volumeType(VolumeType.MANAGED));
        UnityClient.assertUnityError(
                () -> UnityClient.grant(grants, SecurableType.VOLUME, catalog + ".ml.files", reader, Privilege.EXECUTE),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> UnityClient.grant(
                        grants, SecurableType.REGISTERED_MODEL, full("common"), reader, Privilege.CREATE_MODEL),
                400,
                "INVALID_ARGUMENT");

        // CREATE_MODEL on the schema: the reader makes one, owns it, and versions it
        UnityClient.grant(grants, SecurableType.SCHEMA, catalog + ".ml", reader, Privilege.CREATE_MODEL);
        RegisteredModelInfo mine = asReader.createRegisteredModel(model("mine"));
        assertThat(mine.getOwner()).isEqualTo(reader);
        assertThat(asReaderVersions.createModelVersion(newVersion("mine")).getCreatedBy())
                .isEqualTo(reader);
        assertThat(asReader.listRegisteredModels(catalog, "ml", null, null).getRegisteredModels())
                .extracting(RegisteredModelInfo::getName)
                .containsExactly("common", "mine");

        // temporary credentials: reading needs EXECUTE, writing ownership and a pending version;
        // on the local warehouse the answer is 422, once the grants and the status were checked
        TemporaryCredentialsApi vending = new TemporaryCredentialsApi(asReaderClient);
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("common", 1L, ModelVersionOperation.READ_WRITE_MODEL_VERSION)),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("private", 1L, ModelVersionOperation.READ_MODEL_VERSION)),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("common", 9L, ModelVersionOperation.READ_MODEL_VERSION)),
                404,
                "NOT_FOUND");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("common", 1L, ModelVersionOperation.READ_MODEL_VERSION)),
                422,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("mine", 1L, ModelVersionOperation.READ_WRITE_MODEL_VERSION)),
                422,
                "INVALID_ARGUMENT");
        asReaderVersions.finalizeModelVersion(
                full("mine"),
                1L,
                new FinalizeModelVersion().fullName(full("mine")).version(1L));
        // a finalized version's files are only read: read-write is refused as UC refuses it (400)
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("mine", 1L, ModelVersionOperation.READ_WRITE_MODEL_VERSION)),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryModelVersionCredentials(
                        credential("mine", 1L, ModelVersionOperation.READ_MODEL_VERSION)),
                422,
                "INVALID_ARGUMENT");

        // its owner drops it, with its version; the grants on a dropped model go with it
        asReader.deleteRegisteredModel(full("mine"), true);
        UnityClient.assertUnityError(() -> models.getRegisteredModel(full("mine")), 404, "NOT_FOUND");
        UnityClient.assertUnityError(() -> asReader.getRegisteredModel(full("mine")), 403, "PERMISSION_DENIED");
        models.deleteRegisteredModel(full("common"), true);
        assertThat(jdbc.sql("SELECT count(*) FROM platform.grants WHERE securable_type = 'registered_model'"
                                + " AND securable_name = ?")
                        .param(full("common"))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private GenerateTemporaryModelVersionCredential credential(
            String model, long version, ModelVersionOperation operation) {
        return new GenerateTemporaryModelVersionCredential()
                .catalogName(catalog)
                .schemaName("ml")
                .modelName(model)
                .version(version)
                .operation(operation);
    }

    private List<String> reservedAs(String location) {
        return jdbc.sql("SELECT full_name FROM dropped_locations WHERE location = ?")
                .param(location)
                .query(String.class)
                .list();
    }
}
