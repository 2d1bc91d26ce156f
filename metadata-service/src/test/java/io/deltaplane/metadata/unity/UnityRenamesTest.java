package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TablesApi;
import io.unitycatalog.client.api.VolumesApi;
import io.unitycatalog.client.model.CatalogInfo;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateVolumeRequestContent;
import io.unitycatalog.client.model.SchemaInfo;
import io.unitycatalog.client.model.TableInfo;
import io.unitycatalog.client.model.UpdateCatalog;
import io.unitycatalog.client.model.UpdateSchema;
import io.unitycatalog.client.model.UpdateVolumeRequestContent;
import io.unitycatalog.client.model.VolumeInfo;
import io.unitycatalog.client.model.VolumeType;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A rename ({@code PATCH} with {@code new_name}) onto a taken or malformed name answers as Unity
 * Catalog 0.6's server does (its {@code CatalogRepository.updateCatalog}, {@code
 * SchemaRepository.updateSchema}, {@code VolumeRepository.updateVolume}): the name checked first
 * (400 {@code INVALID_ARGUMENT}), then the source (404), then the name taken — 400 with UC's own
 * {@code CATALOG_ALREADY_EXISTS}, {@code SCHEMA_ALREADY_EXISTS}, {@code RESOURCE_ALREADY_EXISTS}.
 * Catalogs, schemas and tables keep their names here, so a rename onto a free name is then refused
 * (400); a volume's goes through. Every refusal leaves everything as it was.
 */
class UnityRenamesTest extends MetadataTestBase {

    private ApiClient admin;
    private String catalog;
    private String other;

    @BeforeEach
    void twoCatalogs() throws Exception {
        admin = UnityClient.as(port, ADMIN_KEY);
        catalog = UnityClient.unique("ren_");
        other = UnityClient.unique("ren_");
        CatalogsApi catalogs = new CatalogsApi(admin);
        catalogs.createCatalog(new CreateCatalog().name(catalog).comment("kept"));
        catalogs.createCatalog(new CreateCatalog().name(other));
        SchemasApi schemas = new SchemasApi(admin);
        schemas.createSchema(new CreateSchema().catalogName(catalog).name("raw").comment("kept"));
        schemas.createSchema(new CreateSchema().catalogName(catalog).name("clean"));
    }

    @Test
    void aCatalogRenameAnswersAsUnityCatalogAndChangesNothing() throws Exception {
        CatalogsApi catalogs = new CatalogsApi(admin);
        CatalogInfo before = catalogs.getCatalog(catalog);
        CatalogInfo otherBefore = catalogs.getCatalog(other);

        UnityClient.assertUnityError(
                () -> catalogs.updateCatalog(catalog, new UpdateCatalog().newName(other)),
                400,
                "CATALOG_ALREADY_EXISTS");
        // taken in another case is taken too: names are case-insensitive
        UnityClient.assertUnityError(
                () -> catalogs.updateCatalog(catalog, new UpdateCatalog().newName(other.toUpperCase())),
                400,
                "CATALOG_ALREADY_EXISTS");
        UnityClient.assertUnityError(
                () -> catalogs.updateCatalog(catalog, new UpdateCatalog().newName("bad name!")),
                400,
                "INVALID_ARGUMENT");
        // UC checks the name before it looks the catalog up, then the catalog before the target
        UnityClient.assertUnityError(
                () -> catalogs.updateCatalog("ren_missing", new UpdateCatalog().newName("bad.name")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> catalogs.updateCatalog("ren_missing", new UpdateCatalog().newName(other)),
                404,
                "CATALOG_NOT_FOUND");
        // a free name is still refused here (catalogs keep their names), with the reason
        assertRenameRefused(() -> catalogs.updateCatalog(catalog, new UpdateCatalog().newName(catalog + "_x")));
        // the taken message names the name, as UC's "Catalog already exists: <name>"
        JsonNode taken = patch("/catalogs/" + catalog, "{\"new_name\":\"" + other + "\",\"comment\":\"changed\"}");
        assertThat(taken.get("message").asString()).contains("Catalog already exists: " + other);

        // nothing moved: both catalogs as they were, no catalog under the refused names
        assertThat(catalogs.getCatalog(catalog)).isEqualTo(before);
        assertThat(catalogs.getCatalog(other)).isEqualTo(otherBefore);
        UnityClient.assertUnityError(() -> catalogs.getCatalog(catalog + "_x"), 404, "CATALOG_NOT_FOUND");
        // positive control: its own name again (in any case) with a comment is an update
        CatalogInfo updated = catalogs.updateCatalog(
                catalog, new UpdateCatalog().newName(catalog.toUpperCase()).comment("new"));
        assertThat(updated.getName()).isEqualTo(catalog);
        assertThat(updated.getComment()).isEqualTo("new");
    }

    @Test
    void aSchemaRenameAnswersAsUnityCatalogAndChangesNothing() throws Exception {
        SchemasApi schemas = new SchemasApi(admin);
        SchemaInfo before = schemas.getSchema(catalog + ".raw");

        UnityClient.assertUnityError(
                () -> schemas.updateSchema(catalog + ".raw", new UpdateSchema().newName("clean")),
                400,
                "SCHEMA_ALREADY_EXISTS");
        UnityClient.assertUnityError(
                () -> schemas.updateSchema(catalog + ".raw", new UpdateSchema().newName("bad/name")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> schemas.updateSchema(catalog + ".missing", new UpdateSchema().newName("clean")),
                404,
                "SCHEMA_NOT_FOUND");
        // the same name in another catalog is free: then the rename itself is refused
        assertRenameRefused(() -> schemas.updateSchema(catalog + ".raw", new UpdateSchema().newName("staged")));

        assertThat(schemas.getSchema(catalog + ".raw")).isEqualTo(before);
        assertThat(schemas.listSchemas(catalog, 100, null).getSchemas())
                .extracting(SchemaInfo::getName)
                .containsExactly("clean", "raw");
        // positive control: a comment alone is an update
        assertThat(schemas.updateSchema(catalog + ".raw", new UpdateSchema().comment("new"))
                        .getComment())
                .isEqualTo("new");
    }

    @Test
    void aVolumeRenameOntoATakenNameIsUnityCatalogsResourceAlreadyExists() throws Exception {
        VolumesApi volumes = new VolumesApi(admin);
        VolumeInfo landing = volumes.createVolume(volume("landing"));
        VolumeInfo archive = volumes.createVolume(volume("archive"));

        UnityClient.assertUnityError(
                () -> volumes.updateVolume(
                        catalog + ".raw.landing", new UpdateVolumeRequestContent().newName("archive")),
                400,
                "RESOURCE_ALREADY_EXISTS");
        UnityClient.assertUnityError(
                () -> volumes.updateVolume(
                        catalog + ".raw.landing", new UpdateVolumeRequestContent().newName("bad name")),
                400,
                "INVALID_ARGUMENT");
        // the name before the volume, as UC checks them
        UnityClient.assertUnityError(
                () -> volumes.updateVolume(catalog + ".raw.missing", new UpdateVolumeRequestContent().newName("a.b")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> volumes.updateVolume(catalog + ".raw.missing", new UpdateVolumeRequestContent().newName("x")),
                404,
                "NOT_FOUND");

        // nothing moved
        assertThat(volumes.getVolume(catalog + ".raw.landing")).isEqualTo(landing);
        assertThat(volumes.getVolume(catalog + ".raw.archive")).isEqualTo(archive);
        assertThat(volumes.listVolumes(catalog, "raw", 100, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("archive", "landing");
        // positive control: a free name renames it
        VolumeInfo renamed =
                volumes.updateVolume(catalog + ".raw.landing", new UpdateVolumeRequestContent().newName("inbox"));
        assertThat(renamed.getVolumeId()).isEqualTo(landing.getVolumeId());
    }

    /**
     * UC 0.6 has no table rename on this door (its client has no update of a table): Databricks'
     * {@code PATCH /tables} takes an owner, and a {@code new_name} is refused, not ignored, with UC's
     * answers for a taken or malformed name.
     */
    @Test
    void aTableRenameIsRefusedWithUnityCatalogsAnswers() throws Exception {
        String body = tableBody(catalog, Map.of()).replace("\"s\"", "\"raw\"");
        ok(http.post("/api/v1/tables", body), 201);
        ok(http.post("/api/v1/tables", body.replace("\"name\":\"t\"", "\"name\":\"u\"")), 201);
        TablesApi tables = new TablesApi(admin);
        TableInfo before = tables.getTable(catalog + ".raw.t", null, null);

        assertUnity(
                patchResponse("/tables/" + catalog + ".raw.t", "{\"new_name\":\"u\"}"), 400, "TABLE_ALREADY_EXISTS");
        assertUnity(
                patchResponse("/tables/" + catalog + ".raw.t", "{\"new_name\":\"bad name\"}"), 400, "INVALID_ARGUMENT");
        assertUnity(patchResponse("/tables/" + catalog + ".raw.nope", "{\"new_name\":\"v\"}"), 404, "TABLE_NOT_FOUND");
        HttpResponse<String> free = patchResponse("/tables/" + catalog + ".raw.t", "{\"new_name\":\"v\"}");
        assertUnity(free, 400, "INVALID_ARGUMENT");
        assertThat(free.body()).contains("Renaming is not supported");

        TableInfo after = tables.getTable(catalog + ".raw.t", null, null);
        assertThat(after.getTableId()).isEqualTo(before.getTableId());
        assertThat(after.getStorageLocation()).isEqualTo(before.getStorageLocation());
        assertThat(tables.listTables(catalog, "raw", 100, null).getTables())
                .extracting(TableInfo::getName)
                .containsExactly("t", "u");
        // positive control: its own name (in any case) is no rename, and the update goes through
        assertThat(patchResponse("/tables/" + catalog + ".raw.t", "{\"new_name\":\"T\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    private CreateVolumeRequestContent volume(String name) {
        return new CreateVolumeRequestContent()
                .catalogName(catalog)
                .schemaName("raw")
                .name(name)
                .volumeType(VolumeType.MANAGED);
    }

    private static void assertRenameRefused(UnityClient.ThrowingCall call) {
        UnityClient.assertUnityError(call, 400, "INVALID_ARGUMENT");
    }

    private HttpResponse<String> patchResponse(String path, String json) {
        return http.send("PATCH", "/api/2.1/unity-catalog" + path, json);
    }

    private JsonNode patch(String path, String json) {
        return JSON.readTree(patchResponse(path, json).body());
    }

    private static void assertUnity(HttpResponse<String> response, int status, String unityCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).get("error_code").asString()).isEqualTo(unityCode);
    }
}
