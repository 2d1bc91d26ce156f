package io.deltaplane.metadata.unity;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.unitycatalog.client.ApiClient;
import io.unitycatalog.client.api.CatalogsApi;
import io.unitycatalog.client.api.ExternalLocationsApi;
import io.unitycatalog.client.api.GrantsApi;
import io.unitycatalog.client.api.SchemasApi;
import io.unitycatalog.client.api.VolumesApi;
import io.unitycatalog.client.model.CreateCatalog;
import io.unitycatalog.client.model.CreateExternalLocation;
import io.unitycatalog.client.model.CreateSchema;
import io.unitycatalog.client.model.CreateVolumeRequestContent;
import io.unitycatalog.client.model.Privilege;
import io.unitycatalog.client.model.SecurableType;
import io.unitycatalog.client.model.VolumeInfo;
import io.unitycatalog.client.model.VolumeType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An EXTERNAL volume made by a principal that is not an admin, through UC's own Java client (0.6.0),
 * under the rule of UC 0.6's {@code VolumeService.createVolume}: USE_CATALOG, USE_SCHEMA and
 * CREATE_VOLUME on the schema, and CREATE_EXTERNAL_VOLUME (or ownership) on the external location
 * holding its directory. Each refusal stores nothing (read back), and leaves the directory free for
 * the create that then succeeds there.
 */
class UnityExternalVolumesTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    private ApiClient admin;
    private String catalog;
    private String location;
    private String url;
    private String member;
    private VolumesApi asMember;

    @BeforeEach
    void catalogLocationAndMember() throws Exception {
        admin = UnityClient.as(port, ADMIN_KEY);
        catalog = UnityClient.unique("extvol_");
        new CatalogsApi(admin).createCatalog(new CreateCatalog().name(catalog));
        new SchemasApi(admin)
                .createSchema(new CreateSchema().catalogName(catalog).name("raw"));
        location = UnityClient.unique("loc_");
        url = "file:" + Files.createTempDirectory("ext-volumes-").toAbsolutePath();
        new ExternalLocationsApi(admin)
                .createExternalLocation(
                        new CreateExternalLocation().name(location).url(url));
        member = UnityClient.unique("vol_member_") + "@example.com";
        principals.create(member, PrincipalType.USER);
        asMember = new VolumesApi(
                UnityClient.as(port, keys.createFor("m", member, null).key()));
        GrantsApi grants = new GrantsApi(admin);
        UnityClient.grant(grants, SecurableType.CATALOG, catalog, member, Privilege.USE_CATALOG);
        UnityClient.grant(grants, SecurableType.SCHEMA, catalog + ".raw", member, Privilege.USE_SCHEMA);
    }

    private CreateVolumeRequestContent external(String name, String storageLocation) {
        return new CreateVolumeRequestContent()
                .catalogName(catalog)
                .schemaName("raw")
                .name(name)
                .volumeType(VolumeType.EXTERNAL)
                .storageLocation(storageLocation);
    }

    @Test
    void aMemberMakesAnExternalVolumeOnlyWithCreateExternalVolumeOnTheLocation() throws Exception {
        VolumesApi volumes = new VolumesApi(admin);
        GrantsApi grants = new GrantsApi(admin);
        String drops = url + "/drops";

        // USE_CATALOG and USE_SCHEMA alone: no volume of either kind
        UnityClient.assertUnityError(() -> asMember.createVolume(external("drops", drops)), 403, "PERMISSION_DENIED");

        // CREATE_VOLUME on the schema: a MANAGED one (the control: the schema's grants suffice for it),
        // but not an EXTERNAL one without CREATE_EXTERNAL_VOLUME on the location holding its directory
        UnityClient.grant(grants, SecurableType.SCHEMA, catalog + ".raw", member, Privilege.CREATE_VOLUME);
        VolumeInfo managed = asMember.createVolume(new CreateVolumeRequestContent()
                .catalogName(catalog)
                .schemaName("raw")
                .name("scratch")
                .volumeType(VolumeType.MANAGED));
        assertThat(managed.getOwner()).isEqualTo(member);
        UnityClient.assertUnityError(() -> asMember.createVolume(external("drops", drops)), 403, "PERMISSION_DENIED");

        // CREATE_EXTERNAL_VOLUME on the location covers what lies under it, not a directory outside
        // every location (stricter than UC 0.6, which lets a path no location covers through: here a
        // non-admin's external directory is always under a location granted to it)
        UnityClient.grant(grants, SecurableType.EXTERNAL_LOCATION, location, member, Privilege.CREATE_EXTERNAL_VOLUME);
        String outside =
                "file:" + Files.createTempDirectory("ext-volumes-outside-").toAbsolutePath();
        UnityClient.assertUnityError(
                () -> asMember.createVolume(external("elsewhere", outside)), 403, "PERMISSION_DENIED");

        // the refusals stored nothing: the schema holds the managed volume alone, no name was taken
        assertThat(volumes.listVolumes(catalog, "raw", 100, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("scratch");
        UnityClient.assertUnityError(() -> volumes.getVolume(catalog + ".raw.drops"), 404, "NOT_FOUND");
        UnityClient.assertUnityError(() -> volumes.getVolume(catalog + ".raw.elsewhere"), 404, "NOT_FOUND");

        // with it, the member makes one there, at the refused directory (nothing had claimed it), and owns it
        VolumeInfo created = asMember.createVolume(external("drops", drops).comment("partner files"));
        assertThat(created.getVolumeType()).isEqualTo(VolumeType.EXTERNAL);
        assertThat(created.getStorageLocation()).isEqualTo(drops);
        assertThat(created.getOwner()).isEqualTo(member);
        assertThat(asMember.getVolume(catalog + ".raw.drops")).isEqualTo(created);
        assertThat(volumes.listVolumes(catalog, "raw", 100, null).getVolumes())
                .extracting(VolumeInfo::getName)
                .containsExactly("drops", "scratch");
    }

    @Test
    void aLocationsPrivilegeIsNoSchemasPrivilege() throws Exception {
        // CREATE_EXTERNAL_VOLUME on the location without CREATE_VOLUME on the schema: refused, nothing stored
        UnityClient.grant(
                new GrantsApi(admin),
                SecurableType.EXTERNAL_LOCATION,
                location,
                member,
                Privilege.CREATE_EXTERNAL_VOLUME);
        UnityClient.assertUnityError(
                () -> asMember.createVolume(external("drops", url + "/drops")), 403, "PERMISSION_DENIED");
        assertThat(new VolumesApi(admin).listVolumes(catalog, "raw", 100, null).getVolumes())
                .isNullOrEmpty();
        assertThat(Path.of(java.net.URI.create(url + "/drops"))).doesNotExist();
    }
}
