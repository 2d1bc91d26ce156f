package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.locations.ExternalLocation;
import io.deltaplane.metadata.locations.ExternalLocationService;
import io.deltaplane.support.paging.Page;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's external locations: storage prefixes whose grantees may register EXTERNAL tables
 * ({@code CREATE_EXTERNAL_TABLE}) or catalog storage roots ({@code CREATE_MANAGED_STORAGE}) under
 * them, granted with the permissions API on {@code external_location}. {@code credential_name}
 * names a storage credential ({@link UnityCredentialsController}), recorded and governed; vending
 * keeps the platform's own identity (it holds one per store).
 */
@RestController
@RequestMapping(UnityCatalogApi.BASE + "/external-locations")
public class UnityExternalLocationsController {

    public record CreateExternalLocation(String name, String url, String credentialName, String comment) {}

    public record UpdateExternalLocation(String url, String credentialName, String comment, String owner) {}

    public record ExternalLocationInfo(
            String name,
            String url,
            String credentialName,
            UUID credentialId,
            String comment,
            String owner,
            Long createdAt,
            String createdBy,
            Long updatedAt,
            UUID id,
            boolean readOnly) {}

    public record ListExternalLocationsResponse(List<ExternalLocationInfo> externalLocations, String nextPageToken) {}

    private final ExternalLocationService locations;

    public UnityExternalLocationsController(ExternalLocationService locations) {
        this.locations = requireNonNull(locations, "locations");
    }

    /**
     * Needs CREATE_EXTERNAL_LOCATION on the metastore (a metastore admin), and on the credential it
     * names; the caller owns it.
     */
    @PostMapping
    public ExternalLocationInfo create(@RequestBody CreateExternalLocation request) {
        return info(locations.create(request.name(), request.url(), request.credentialName(), request.comment()));
    }

    /** The locations the caller holds a privilege on (all, for a metastore admin), in name order. */
    @GetMapping
    public ListExternalLocationsResponse list(
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<ExternalLocationInfo> page = locations
                .list(UnityCatalogApi.pageToken(pageToken), UnityCatalogApi.pageSize(maxResults))
                .map(this::info);
        return new ListExternalLocationsResponse(page.items(), page.nextPageToken());
    }

    @GetMapping("/{name}")
    public ExternalLocationInfo get(@PathVariable String name) {
        return info(locations.get(name));
    }

    /** Credential, comment and owner; the url stays. Needs ownership or MANAGE. */
    @PatchMapping("/{name}")
    public ExternalLocationInfo update(@PathVariable String name, @RequestBody UpdateExternalLocation request) {
        return info(
                locations.update(name, request.url(), request.credentialName(), request.comment(), request.owner()));
    }

    /** UC answers 200 with an empty body. */
    @DeleteMapping("/{name}")
    public Map<String, Object> delete(@PathVariable String name) {
        locations.delete(name);
        return Map.of();
    }

    private ExternalLocationInfo info(ExternalLocation location) {
        return new ExternalLocationInfo(
                location.name(),
                location.url(),
                location.credentialName(),
                location.credentialId(),
                location.comment(),
                locations.owner(location.name()),
                UnityCatalogApi.millis(location.createdAt()),
                location.createdBy(),
                UnityCatalogApi.millis(location.updatedAt()),
                location.id(),
                false);
    }
}
