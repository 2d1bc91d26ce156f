package io.deltaplane.client;

import io.deltaplane.client.generated.metadata.api.ApiApi;
import io.deltaplane.client.generated.metadata.model.CreateVolumeRequestContent;
import io.deltaplane.client.generated.metadata.model.ListVolumesResponseContent;
import io.deltaplane.client.generated.metadata.model.UpdateVolumeRequestContent;
import io.deltaplane.client.generated.metadata.model.VolumeInfo;
import io.deltaplane.client.model.Volume;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Volumes (Unity Catalog's, served at {@code /api/2.1/unity-catalog/volumes}): {@code
 * list/get/createManaged/createExternal/comment/rename/delete}, each also {@code …Async} where a
 * pipeline waits on it. A short name resolves against the session's catalog and schema.
 */
public final class Volumes {
    private final Deltaplane client;
    private final Calls calls;
    private final ApiApi api;

    Volumes(Deltaplane client, GeneratedApis generated, Calls calls) {
        this.client = client;
        this.calls = calls;
        this.api = new ApiApi(generated.metadata());
    }

    /** The volumes of a schema ({@code catalog.schema}, or a schema of the current catalog) the caller may see. */
    public List<Volume> list(String schema) {
        String[] full = client.resolveSchema(schema).split("\\.");
        return Paging.all(
                        calls,
                        (token, h) -> api.getApi21UnityCatalogVolumes(full[0], full[1], Paging.PAGE_SIZE, token, h),
                        ListVolumesResponseContent::getVolumes,
                        ListVolumesResponseContent::getNextPageToken)
                .stream()
                .map(Volumes::volume)
                .toList();
    }

    public Volume get(String name) {
        String fullName = client.resolveTable(name);
        return volume(calls.idempotent(h -> api.getApi21UnityCatalogVolumesByName(fullName, h)));
    }

    /** A MANAGED volume: the catalog places its directory (and deletes it some time after a drop). */
    public Volume createManaged(String name, String comment) {
        return create(name, "MANAGED", null, comment);
    }

    /** An EXTERNAL volume at {@code storageLocation}, under an external location the caller may use. */
    public Volume createExternal(String name, String storageLocation, String comment) {
        return create(name, "EXTERNAL", storageLocation, comment);
    }

    private Volume create(String name, String type, String location, String comment) {
        String[] full = client.resolveTable(name).split("\\.");
        CreateVolumeRequestContent body = new CreateVolumeRequestContent()
                .catalogName(full[0])
                .schemaName(full[1])
                .name(Names.check("volume", full[2]))
                .volumeType(type)
                .storageLocation(location)
                .comment(comment);
        return volume(calls.create(h -> api.postApi21UnityCatalogVolumes(body, h)));
    }

    public Volume comment(String name, String comment) {
        String fullName = client.resolveTable(name);
        UpdateVolumeRequestContent body = new UpdateVolumeRequestContent().comment(comment);
        return volume(calls.idempotent(h -> api.patchApi21UnityCatalogVolumesByName(fullName, body, h)));
    }

    /** Renames it within its schema; its grants follow it. */
    public Volume rename(String name, String newName) {
        String fullName = client.resolveTable(name);
        UpdateVolumeRequestContent body = new UpdateVolumeRequestContent().newName(Names.check("volume", newName));
        return volume(calls.create(h -> api.patchApi21UnityCatalogVolumesByName(fullName, body, h)));
    }

    public void delete(String name) {
        String fullName = client.resolveTable(name);
        calls.idempotent(h -> {
            api.deleteApi21UnityCatalogVolumesByName(fullName, h);
            return null;
        });
    }

    public CompletableFuture<List<Volume>> listAsync(String schema) {
        return client.async(() -> list(schema));
    }

    public CompletableFuture<Volume> getAsync(String name) {
        return client.async(() -> get(name));
    }

    private static Volume volume(VolumeInfo v) {
        return new Volume(
                v.getCatalogName(),
                v.getSchemaName(),
                v.getName(),
                v.getFullName(),
                v.getVolumeType(),
                v.getStorageLocation(),
                v.getComment(),
                v.getOwner(),
                v.getVolumeId(),
                v.getCreatedAt() == null ? null : Instant.ofEpochMilli(v.getCreatedAt()));
    }
}
