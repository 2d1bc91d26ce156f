package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.models.ModelVersion;
import io.deltaplane.metadata.models.ModelVersionService;
import io.deltaplane.metadata.models.RegisteredModel;
import io.deltaplane.metadata.models.RegisteredModelService;
import io.deltaplane.metadata.names.RegisteredModelName;
import io.deltaplane.support.paging.Page;
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
 * Unity Catalog's registered models and model versions ({@code /models}, MLflow's UC registry) and
 * their {@code temporary-model-version-credentials}, mapped onto {@link RegisteredModelService} and
 * {@link ModelVersionService}, which decide who may do what.
 */
@RestController
public class UnityModelsController {

    static final String MODELS = UnityCatalogApi.BASE + "/models";
    static final String VERSIONS = MODELS + "/{fullName}/versions";

    public record CreateRegisteredModel(String catalogName, String schemaName, String name, String comment) {}

    public record UpdateRegisteredModel(String comment, String newName) {}

    public record CreateModelVersion(
            String catalogName, String schemaName, String modelName, String source, String runId, String comment) {}

    public record UpdateModelVersion(String comment) {}

    public record FinalizeModelVersion(String fullName, Long version) {}

    public record GenerateTemporaryModelVersionCredential(
            String catalogName, String schemaName, String modelName, Long version, String operation) {}

    public record RegisteredModelInfo(
            String name,
            String catalogName,
            String schemaName,
            String storageLocation,
            String fullName,
            String comment,
            String owner,
            Long createdAt,
            String createdBy,
            Long updatedAt,
            String updatedBy,
            String id) {}

    public record ModelVersionInfo(
            String modelName,
            String catalogName,
            String schemaName,
            Long version,
            String source,
            String runId,
            String status,
            String storageLocation,
            String comment,
            Long createdAt,
            String createdBy,
            Long updatedAt,
            String updatedBy,
            String id) {}

    public record ListRegisteredModelsResponse(List<RegisteredModelInfo> registeredModels, String nextPageToken) {}

    public record ListModelVersionsResponse(List<ModelVersionInfo> modelVersions, String nextPageToken) {}

    private final RegisteredModelService models;
    private final ModelVersionService versions;

    public UnityModelsController(RegisteredModelService models, ModelVersionService versions) {
        this.models = requireNonNull(models, "models");
        this.versions = requireNonNull(versions, "versions");
    }

    @PostMapping(MODELS)
    public RegisteredModelInfo create(@RequestBody CreateRegisteredModel request) {
        return info(models.create(
                RegisteredModelName.of(request.catalogName(), request.schemaName(), request.name()),
                request.comment()));
    }

    /** A schema's models, or (neither catalog_name nor schema_name) every model the caller may see. */
    @GetMapping(MODELS)
    public ListRegisteredModelsResponse list(
            @RequestParam(name = "catalog_name", required = false) String catalogName,
            @RequestParam(name = "schema_name", required = false) String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<RegisteredModelInfo> page = models.list(
                        catalogName,
                        schemaName,
                        UnityCatalogApi.pageToken(pageToken),
                        UnityCatalogApi.pageSize(maxResults))
                .map(UnityModelsController::info);
        return new ListRegisteredModelsResponse(page.items(), page.nextPageToken());
    }

    @GetMapping(MODELS + "/{fullName}")
    public RegisteredModelInfo get(@PathVariable String fullName) {
        return info(models.get(RegisteredModelName.parse(fullName)));
    }

    @PatchMapping(MODELS + "/{fullName}")
    public RegisteredModelInfo update(@PathVariable String fullName, @RequestBody UpdateRegisteredModel request) {
        return info(models.update(RegisteredModelName.parse(fullName), request.newName(), request.comment()));
    }

    /** UC answers 200 with an empty body; {@code force} drops the model's versions too. */
    @DeleteMapping(MODELS + "/{fullName}")
    public Map<String, Object> delete(
            @PathVariable String fullName, @RequestParam(name = "force", required = false) Boolean force) {
        models.delete(RegisteredModelName.parse(fullName), Boolean.TRUE.equals(force));
        return Map.of();
    }

    @PostMapping(MODELS + "/versions")
    public ModelVersionInfo createVersion(@RequestBody CreateModelVersion request) {
        return info(versions.create(
                RegisteredModelName.of(request.catalogName(), request.schemaName(), request.modelName()),
                request.source(),
                request.runId(),
                request.comment()));
    }

    @GetMapping(VERSIONS)
    public ListModelVersionsResponse listVersions(
            @PathVariable String fullName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<ModelVersionInfo> page = versions.list(
                        RegisteredModelName.parse(fullName),
                        UnityCatalogApi.pageToken(pageToken),
                        UnityCatalogApi.pageSize(maxResults))
                .map(UnityModelsController::info);
        return new ListModelVersionsResponse(page.items(), page.nextPageToken());
    }

    @GetMapping(VERSIONS + "/{version}")
    public ModelVersionInfo getVersion(@PathVariable String fullName, @PathVariable long version) {
        return info(versions.get(RegisteredModelName.parse(fullName), version));
    }

    @PatchMapping(VERSIONS + "/{version}")
    public ModelVersionInfo updateVersion(
            @PathVariable String fullName, @PathVariable long version, @RequestBody UpdateModelVersion request) {
        return info(versions.update(RegisteredModelName.parse(fullName), version, request.comment()));
    }

    /** UC answers 200 with an empty body. */
    @DeleteMapping(VERSIONS + "/{version}")
    public Map<String, Object> deleteVersion(@PathVariable String fullName, @PathVariable long version) {
        versions.delete(RegisteredModelName.parse(fullName), version);
        return Map.of();
    }

    @PatchMapping(VERSIONS + "/{version}/finalize")
    public ModelVersionInfo finalizeVersion(
            @PathVariable String fullName,
            @PathVariable long version,
            @RequestBody(required = false) FinalizeModelVersion request) {
        return info(versions.finalizeVersion(
                RegisteredModelName.parse(fullName),
                version,
                request == null ? null : request.fullName(),
                request == null ? null : request.version()));
    }

    @PostMapping(UnityCatalogApi.BASE + "/temporary-model-version-credentials")
    public Map<String, Object> temporaryCredentials(
            @RequestBody GenerateTemporaryModelVersionCredential request, HttpServletResponse response) {
        Map<String, Object> answer = versions.temporaryCredentials(
                RegisteredModelName.of(request.catalogName(), request.schemaName(), request.modelName()),
                request.version(),
                request.operation());
        response.setHeader("Cache-Control", "no-store"); // vended secrets are kept by no cache
        return answer;
    }

    static RegisteredModelInfo info(RegisteredModel model) {
        RegisteredModelName name = model.name();
        return new RegisteredModelInfo(
                name.name(),
                name.catalog(),
                name.schema(),
                model.storageLocation(),
                name.toString(),
                model.comment(),
                model.owner(),
                UnityCatalogApi.millis(model.createdAt()),
                model.createdBy(),
                UnityCatalogApi.millis(model.updatedAt()),
                model.updatedBy(),
                model.id().toString());
    }

    static ModelVersionInfo info(ModelVersion version) {
        RegisteredModelName model = version.model();
        return new ModelVersionInfo(
                model.name(),
                model.catalog(),
                model.schema(),
                version.version(),
                version.source(),
                version.runId(),
                version.status().name(),
                version.storageLocation(),
                version.comment(),
                UnityCatalogApi.millis(version.createdAt()),
                version.createdBy(),
                UnityCatalogApi.millis(version.updatedAt()),
                version.updatedBy(),
                version.id().toString());
    }
}
