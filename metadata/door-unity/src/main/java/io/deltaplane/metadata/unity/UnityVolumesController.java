package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.VolumeName;
import io.deltaplane.metadata.volumes.Volume;
import io.deltaplane.metadata.volumes.VolumeService;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's volumes ({@code /volumes}) and their {@code temporary-volume-credentials}, mapped
 * onto {@link VolumeService}, which decides who may do what.
 */
@RestController
public class UnityVolumesController {

    static final String VOLUMES = UnityCatalogApi.BASE + "/volumes";

    public record CreateVolumeRequestContent(
            String catalogName,
            String schemaName,
            String name,
            String volumeType,
            String comment,
            String storageLocation) {}

    public record UpdateVolumeRequestContent(String comment, String newName, String owner) {}

    public record GenerateTemporaryVolumeCredential(String volumeId, String operation) {}

    public record VolumeInfo(
            String catalogName,
            String schemaName,
            String name,
            String comment,
            String owner,
            Long createdAt,
            String createdBy,
            Long updatedAt,
            String updatedBy,
            String volumeId,
            String volumeType,
            String storageLocation,
            String fullName) {}

    public record ListVolumesResponseContent(List<VolumeInfo> volumes, String nextPageToken) {}

    private final VolumeService volumes;

    public UnityVolumesController(VolumeService volumes) {
        this.volumes = requireNonNull(volumes, "volumes");
    }

    @PostMapping(VOLUMES)
    public VolumeInfo create(@RequestBody CreateVolumeRequestContent request) {
        return info(volumes.create(
                VolumeName.of(request.catalogName(), request.schemaName(), request.name()),
                request.volumeType(),
                request.storageLocation(),
                request.comment()));
    }

    @GetMapping(VOLUMES)
    public ListVolumesResponseContent list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name") String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<VolumeInfo> page = volumes.list(
                        SchemaName.of(catalogName, schemaName),
                        UnityCatalogApi.pageToken(pageToken),
                        UnityCatalogApi.pageSize(maxResults))
                .map(UnityVolumesController::info);
        return new ListVolumesResponseContent(page.items(), page.nextPageToken());
    }

    @GetMapping(VOLUMES + "/{name}")
    public VolumeInfo get(@PathVariable String name) {
        return info(volumes.get(VolumeName.parse(name)));
    }

    /** A name taken is UC's 400 RESOURCE_ALREADY_EXISTS. */
    @PatchMapping(VOLUMES + "/{name}")
    public VolumeInfo update(@PathVariable String name, @RequestBody UpdateVolumeRequestContent request) {
        return info(UnityRenames.update(
                ErrorCode.RESOURCE_ALREADY_EXISTS,
                () -> volumes.update(VolumeName.parse(name), request.newName(), request.comment(), request.owner())));
    }

    /** UC answers 200 with an empty body. */
    @DeleteMapping(VOLUMES + "/{name}")
    public Map<String, Object> delete(@PathVariable String name) {
        volumes.delete(VolumeName.parse(name));
        return Map.of();
    }

    @PostMapping(UnityCatalogApi.BASE + "/temporary-volume-credentials")
    public Map<String, Object> temporaryCredentials(
            @RequestBody GenerateTemporaryVolumeCredential request, HttpServletResponse response) {
        Map<String, Object> answer = volumes.temporaryCredentials(request.volumeId(), request.operation());
        response.setHeader("Cache-Control", "no-store"); // vended secrets are kept by no cache
        return answer;
    }

    static VolumeInfo info(Volume volume) {
        VolumeName name = volume.name();
        return new VolumeInfo(
                name.catalog(),
                name.schema(),
                name.name(),
                volume.comment(),
                volume.owner(),
                UnityCatalogApi.millis(volume.createdAt()),
                volume.createdBy(),
                UnityCatalogApi.millis(volume.updatedAt()),
                volume.updatedBy(),
                volume.id().toString(),
                volume.type().name(),
                volume.storageLocation(),
                name.toString());
    }
}
