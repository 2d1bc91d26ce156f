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
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.TemporaryCredentialsApi;
import io.unitycatalog.client.api.VolumesApi;
import io.unitycatalog.client.model.CatalogInfo;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateVolumeRequestContent;
import io.unitycatalog.client.model.GenerateTemporaryVolumeCredential;
import io.unitycatalog.client.model.ListVolumesResponseContent;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.UpdateVolumeRequestContent;
import io.unitycatalog.client.model.VolumeInfo;
import io.unitycatalog.client.model.VolumeOperation;
import io.unitycatalog.client.model.VolumeType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Volumes through Unity Catalog's own Java client (unitycatalog-client 0.6.0, unchanged), written
 * from UC's API documents: create (MANAGED placed by the catalog, EXTERNAL where its creator says),
 * get, list with paging, update and rename, grants (READ_VOLUME, CREATE_VOLUME, WRITE_VOLUME),
 * delete, and the negative cases UC's server answers; volumes and tables never share a directory.
 */
class UnityVolumesTest extends MetadataTestBase {

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
        catalog = UnityClient.unique("vol_");
        catalogInfo = new CatalogsApi(admin).createCatalog(new CreateCatalog().name(catalog));
        new SchemasApi(admin)
                .createSchema(new CreateSchema().catalogName(catalog).name("raw"));
    }

    private CreateVolumeRequestContent managed(String name) {
        return new CreateVolumeRequestContent()
                .catalogName(catalog)
                .schemaName("raw")
                .name(name)
                .volumeType(VolumeType.MANAGED);
    }

    @Test
    void aManagedVolumeIsPlacedByTheCatalogAndRoundTrips() throws Exception {
        VolumesApi volumes = new VolumesApi(admin);
        VolumeInfo created = volumes.createVolume(managed("landing").comment("raw drops"));

        assertThat(created.getFullName()).isEqualTo(catalog + ".raw.landing");
        assertThat(created.getCatalogName()).isEqualTo(catalog);
        assertThat(created.getSchemaName()).isEqualTo("raw");
        assertThat(created.getVolumeType()).isEqualTo(VolumeType.MANAGED);
        assertThat(created.getComment()).isEqualTo("raw drops");
        assertThat(created.getOwner()).isNotBlank().isEqualTo(created.getCreatedBy());
        assertThat(created.getCreatedAt()).isPositive();
        UUID id = UUID.fromString(created.getVolumeId());
        // UC's layout: <root>/__unitystorage/catalogs/<catalog id>/volumes/<volume id>
        assertThat(created.getStorageLocation())
                .startsWith("file:/")
                .endsWith("/__unitystorage/catalogs/" + catalogInfo.getId() + "/volumes/" + id);
        assertThat(volumes.getVolume(catalog + ".raw.landing")).isEqualTo(created);

        // comment, then rename: the old name is gone, the id and directory stay
        VolumeInfo commented =
                volumes.updateVolume(catalog + ".raw.landing", new UpdateVolumeRequestContent().comment("drops"));
        assertThat(commented.getComment()).isEqualTo("drops");
        assertThat(commented.getUpdatedAt()).isGreaterThanOrEqualTo(created.getCreatedAt());
        VolumeInfo renamed =
                volumes.updateVolume(catalog + ".raw.landing", new UpdateVolumeRequestContent().newName("inbox"));
        assertThat(renamed.getFullName()).isEqualTo(catalog + ".raw.inbox");
        assertThat(renamed.getVolumeId()).isEqualTo(created.getVolumeId());
        assertThat(renamed.getStorageLocation()).isEqualTo(created.getStorageLocation());
        assertThat(renamed.getComment()).isEqualTo("drops");
        UnityClient.assertUnityError(() -> volumes.getVolume(catalog + ".raw.landing"), 404, "NOT_FOUND");

        // paging, in name order
        volumes.createVolume(managed("archive"));
        volumes.createVolume(managed("models"));
        ListVolumesResponseContent first = volumes.listVolumes(catalog, "raw", 2, null);
        assertThat(first.getVolumes()).extracting(VolumeInfo::getName).containsExactly("archive", "inbox");
        assertThat(first.getNextPageToken()).isNotBlank();
        ListVolumesResponseContent second = volumes.listVolumes(catalog, "raw", 2, first.getNextPageToken());
        assertThat(second.getVolumes()).extracting(VolumeInfo::getName).containsExactly("models");
        assertThat(second.getNextPageToken()).isNull();

        // a schema holding volumes is not empty; dropping a volume reserves its directory
        UnityClient.assertUnityError(
                () -> new SchemasApi(admin).deleteSchema(catalog + ".raw", false), 409, "ALREADY_EXISTS");
        volumes.deleteVolume(catalog + ".raw.inbox");
        UnityClient.assertUnityError(() -> volumes.getVolume(catalog + ".raw.inbox"), 404, "NOT_FOUND");
        assertThat(jdbc.sql("SELECT full_name FROM dropped_locations WHERE location = ?")
                        .param(created.getStorageLocation())
                        .query(String.class)
                        .list())
                .containsExactly("volume " + catalog + ".raw.inbox");
        // the create and the drop are in the audit trail, against the volume
        List<String> actions =
                audit
                        .list(new AuditQuery(null, catalog + ".raw.landing", null, null, null), Long.MAX_VALUE, 10)
                        .stream()
                        .map(AuditEvent::action)
                        .toList();
        assertThat(actions).contains("POST /api/2.1/unity-catalog/volumes");
        // renamed to inbox before it was dropped: the drop is against that name
        assertThat(
                        audit
                                .list(
                                        new AuditQuery(null, catalog + ".raw.inbox", null, null, null),
                                        Long.MAX_VALUE,
                                        10)
                                .stream()
                                .map(AuditEvent::action)
                                .toList())
                .contains("DELETE /api/2.1/unity-catalog/volumes/{name}");
        new SchemasApi(admin).deleteSchema(catalog + ".raw", true);
        UnityClient.assertUnityError(() -> volumes.getVolume(catalog + ".raw.models"), 404, "NOT_FOUND");
    }

    @Test
    void anExternalVolumeLiesWhereItsCreatorSaysAndNeverOverlapsATable() throws Exception {
        VolumesApi volumes = new VolumesApi(admin);
        Path outside = Files.createTempDirectory("ext-volume-");
        String location = "file:" + outside.resolve("drops").toAbsolutePath();
        VolumeInfo external = volumes.createVolume(new CreateVolumeRequestContent()
                .catalogName(catalog)
                .schemaName("raw")
                .name("drops")
                .volumeType(VolumeType.EXTERNAL)
                .storageLocation(location));
        assertThat(external.getVolumeType()).isEqualTo(VolumeType.EXTERNAL);
        assertThat(external.getStorageLocation()).isEqualTo(location);

        // UC's negative cases: the type decides whether a location is given
        UnityClient.assertUnityError(
                () -> volumes.createVolume(managed("m").storageLocation(location + "/m")), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> volumes.createVolume(new CreateVolumeRequestContent()
                        .catalogName(catalog)
                        .schemaName("raw")
                        .name("e")
                        .volumeType(VolumeType.EXTERNAL)),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> volumes.createVolume(new CreateVolumeRequestContent()
                        .catalogName(catalog)
                        .schemaName("raw")
                        .name("t")),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(() -> volumes.createVolume(managed("bad-name!")), 400, "INVALID_ARGUMENT");
        UnityClient.assertUnityError(() -> volumes.createVolume(managed("drops")), 400, "RESOURCE_ALREADY_EXISTS");
        UnityClient.assertUnityError(
                () -> volumes.createVolume(managed("x").schemaName("nope")), 404, "SCHEMA_NOT_FOUND");

        // the refusals stored nothing: the schema holds the one volume made above
        assertThat(volumes.listVolumes(catalog, "raw", 100, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("drops");

        // nothing nests in a volume's directory or above it: not a volume, not a table
        UnityClient.assertUnityError(
                () -> volumes.createVolume(new CreateVolumeRequestContent()
                        .catalogName(catalog)
                        .schemaName("raw")
                        .name("inside")
                        .volumeType(VolumeType.EXTERNAL)
                        .storageLocation(location + "/inner")),
                422,
                "INVALID_ARGUMENT");
        String tableBody = "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"raw\",\"name\":\"%s\","
                + "\"location\":\"%s\",\"schema\":{\"type\":\"struct\",\"fields\":[{\"name\":\"id\","
                + "\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}}";
        assertProblem(
                http.post("/api/v1/tables", tableBody.formatted("in_volume", location + "/t")),
                422,
                "LOCATION_NOT_ALLOWED");
        assertProblem(
                http.post("/api/v1/tables", tableBody.formatted("above_volume", "file:" + outside.toAbsolutePath())),
                422,
                "LOCATION_NOT_ALLOWED");
        // the same table beside it is fine (the refusals were the overlap, not the request)
        ok(
                http.post(
                        "/api/v1/tables",
                        tableBody.formatted(
                                "beside", "file:" + outside.resolve("table").toAbsolutePath())),
                201);
        assertThat(volumes.listVolumes(catalog, "raw", 100, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("drops");
        assertProblem(http.get("/api/v1/tables/" + catalog + ".raw.in_volume"), 404, "TABLE_NOT_FOUND");
        // and a volume may not take a table's directory either
        UnityClient.assertUnityError(
                () -> volumes.createVolume(new CreateVolumeRequestContent()
                        .catalogName(catalog)
                        .schemaName("raw")
                        .name("in_table")
                        .volumeType(VolumeType.EXTERNAL)
                        .storageLocation("file:" + outside.resolve("table/sub").toAbsolutePath())),
                422,
                "INVALID_ARGUMENT");

        // dropping an EXTERNAL volume leaves its location to no one's reservation
        volumes.deleteVolume(catalog + ".raw.drops");
        assertThat(jdbc.sql("SELECT count(*) FROM dropped_locations WHERE location = ?")
                        .param(location)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void grantsDecideWhoSeesReadsCreatesAndDropsVolumes() throws Exception {
        VolumesApi volumes = new VolumesApi(admin);
        volumes.createVolume(managed("shared"));
        volumes.createVolume(managed("private"));
        String reader = UnityClient.unique("vol_reader_") + "@example.com";
        principals.create(reader, PrincipalType.USER);
        VolumesApi asReader = new VolumesApi(
                UnityClient.as(port, keys.createFor("r", reader, null).key()));
        GrantsApi grants = new GrantsApi(admin);
        UnityClient.grant(grants, SecurableType.CATALOG, catalog, reader, Privilege.USE_CATALOG);
        UnityClient.grant(grants, SecurableType.SCHEMA, catalog + ".raw", reader, Privilege.USE_SCHEMA);

        // USE_SCHEMA alone: nothing listed, nothing read, nothing made
        assertThat(asReader.listVolumes(catalog, "raw", null, null).getVolumes())
                .isNullOrEmpty();
        UnityClient.assertUnityError(() -> asReader.getVolume(catalog + ".raw.shared"), 403, "PERMISSION_DENIED");
        UnityClient.assertUnityError(() -> asReader.createVolume(managed("mine")), 403, "PERMISSION_DENIED");

        // READ_VOLUME on one volume: that one is listed and read, the other is not
        UnityClient.grant(grants, SecurableType.VOLUME, catalog + ".raw.shared", reader, Privilege.READ_VOLUME);
        // (read back as JSON: UC's client 0.6 spells privileges with spaces, "READ VOLUME", and reads
        // the platform's READ_VOLUME as unknown; both spellings are taken on the way in)
        JsonNode assignments = get("/api/2.1/unity-catalog/permissions/volume/" + catalog + ".raw.shared")
                .get("privilege_assignments");
        assertThat(assignments).hasSize(1);
        assertThat(assignments.get(0).get("principal").asString()).isEqualTo(reader);
        assertThat(assignments.get(0).get("privileges").toString()).isEqualTo("[\"READ_VOLUME\"]");
        assertThat(asReader.listVolumes(catalog, "raw", null, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("shared");
        assertThat(asReader.getVolume(catalog + ".raw.shared").getName()).isEqualTo("shared");
        UnityClient.assertUnityError(() -> asReader.getVolume(catalog + ".raw.private"), 403, "PERMISSION_DENIED");
        // a reader neither renames nor drops it
        UnityClient.assertUnityError(
                () -> asReader.updateVolume(catalog + ".raw.shared", new UpdateVolumeRequestContent().comment("x")),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(() -> asReader.deleteVolume(catalog + ".raw.shared"), 403, "PERMISSION_DENIED");
        // a rename takes its grants along
        volumes.updateVolume(catalog + ".raw.shared", new UpdateVolumeRequestContent().newName("common"));
        assertThat(asReader.getVolume(catalog + ".raw.common").getName()).isEqualTo("common");

        // READ_VOLUME is a volume's privilege, SELECT a table's: neither is granted on the other
        String table = catalog + ".raw.t";
        ok(http.post("/api/v1/tables", tableBody(catalog, java.util.Map.of()).replace("\"s\"", "\"raw\"")), 201);
        UnityClient.assertUnityError(
                () -> UnityClient.grant(grants, SecurableType.TABLE, table, reader, Privilege.READ_VOLUME),
                400,
                "INVALID_ARGUMENT");
        UnityClient.assertUnityError(
                () -> UnityClient.grant(
                        grants, SecurableType.VOLUME, catalog + ".raw.common", reader, Privilege.SELECT),
                400,
                "INVALID_ARGUMENT");

        // CREATE_VOLUME on the schema: the reader makes one, and owns it
        UnityClient.grant(grants, SecurableType.SCHEMA, catalog + ".raw", reader, Privilege.CREATE_VOLUME);
        VolumeInfo mine = asReader.createVolume(managed("mine"));
        assertThat(mine.getOwner()).isEqualTo(reader);
        assertThat(asReader.listVolumes(catalog, "raw", null, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("common", "mine");

        // temporary credentials are asked for by the volume's id: READ_VOLUME reads, not writes;
        // a volume on the local file system needs none (422 saying so), after the grants were checked
        TemporaryCredentialsApi vending = new TemporaryCredentialsApi(
                UnityClient.as(port, keys.createFor("v", reader, null).key()));
        String commonId = asReader.getVolume(catalog + ".raw.common").getVolumeId();
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryVolumeCredentials(new GenerateTemporaryVolumeCredential()
                        .volumeId(commonId)
                        .operation(VolumeOperation.WRITE_VOLUME)),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryVolumeCredentials(new GenerateTemporaryVolumeCredential()
                        .volumeId(commonId)
                        .operation(VolumeOperation.READ_VOLUME)),
                422,
                "INVALID_ARGUMENT");
        String privateId = volumes.getVolume(catalog + ".raw.private").getVolumeId();
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryVolumeCredentials(new GenerateTemporaryVolumeCredential()
                        .volumeId(privateId)
                        .operation(VolumeOperation.READ_VOLUME)),
                403,
                "PERMISSION_DENIED");
        UnityClient.assertUnityError(
                () -> vending.generateTemporaryVolumeCredentials(new GenerateTemporaryVolumeCredential()
                        .volumeId(UUID.randomUUID().toString())
                        .operation(VolumeOperation.READ_VOLUME)),
                404,
                "NOT_FOUND");

        // its owner drops it; the grants on a dropped volume go with it
        asReader.deleteVolume(catalog + ".raw.mine");
        UnityClient.assertUnityError(() -> volumes.getVolume(catalog + ".raw.mine"), 404, "NOT_FOUND");
        // its ownership went with it: to its former owner it is a securable it holds nothing on
        UnityClient.assertUnityError(() -> asReader.getVolume(catalog + ".raw.mine"), 403, "PERMISSION_DENIED");
        volumes.deleteVolume(catalog + ".raw.common");
        assertThat(jdbc.sql("SELECT count(*) FROM platform.grants WHERE securable_type = 'volume'"
                                + " AND securable_name = ?")
                        .param(catalog + ".raw.common")
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
