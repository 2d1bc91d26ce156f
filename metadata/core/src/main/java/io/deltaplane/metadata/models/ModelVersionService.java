package io.deltaplane.metadata.models;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.credentials.CredentialVending;
import io.deltaplane.metadata.names.RegisteredModelName;
import io.deltaplane.metadata.table.DroppedLocations;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A registered model's versions, as MLflow's UC registry uses them: a version is created
 * PENDING_REGISTRATION with the next number and its own directory inside the model's ({@code
 * <model>/versions/<version id>}, as UC places it), MLflow writes the artifacts there with
 * read-write credentials, then finalizes it READY, after which its files are only read. Reading
 * needs {@code EXECUTE} on the model; creating, changing, finalizing and dropping a version,
 * ownership of the model or {@code MANAGE} (UC asks for ownership).
 */
@Service
public class ModelVersionService {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository repository;
    private final DroppedLocations dropped;
    private final AccessControl access;
    private final CredentialVending vending;
    private final Clock clock;

    ModelVersionService(
            RegisteredModelRepository models,
            ModelVersionRepository repository,
            DroppedLocations dropped,
            AccessControl access,
            CredentialVending vending,
            Clock clock) {
        this.models = requireNonNull(models, "models");
        this.repository = requireNonNull(repository, "repository");
        this.dropped = requireNonNull(dropped, "dropped");
        this.access = requireNonNull(access, "access");
        this.vending = requireNonNull(vending, "vending");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The next version of the model, PENDING_REGISTRATION; {@code source} is required (400). */
    @Transactional
    public ModelVersion create(RegisteredModelName name, String source, String runId, String comment) {
        access.requireManage(name.securable());
        if (source == null || source.isBlank()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "source is required.");
        }
        RegisteredModel model = models.require(name);
        long version = models.nextVersion(model.id()); // locks the model's row: numbers in order
        UUID id = UUID.randomUUID();
        String location = model.storageLocation() + "/versions/" + id;
        repository.insert(
                new ModelVersionRepository.NewVersion(id, model.id(), version, source, runId, location, comment),
                access.caller().principal(),
                clock.instant());
        return repository.require(model, version);
    }

    /** In number order; the token is the last number shown (UC's own tokens are, and are taken). */
    public Page<ModelVersion> list(RegisteredModelName name, String pageToken, int limit) {
        access.require(name.securable(), Privilege.EXECUTE);
        RegisteredModel model = models.require(name);
        String cursor = PageTokens.decode(pageToken);
        long after;
        try {
            after = cursor.isEmpty() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGE_TOKEN, "page_token is not a model version's.");
        }
        return Page.of(
                repository.page(model.id(), after, limit + 1), limit, version -> Long.toString(version.version()));
    }

    /** Needs EXECUTE on the model (or ownership). */
    public ModelVersion get(RegisteredModelName name, long version) {
        access.require(name.securable(), Privilege.EXECUTE);
        return repository.require(models.require(name), version);
    }

    /** Its comment (required, as in UC: the only field there is to update). */
    @Transactional
    public ModelVersion update(RegisteredModelName name, long version, String comment) {
        access.requireManage(name.securable());
        if (comment == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "No updated fields defined (comment).");
        }
        RegisteredModel model = models.require(name);
        repository.updateComment(model, version, comment, access.caller().principal(), clock.instant());
        return repository.require(model, version);
    }

    /**
     * PENDING_REGISTRATION to READY; any other status is 400, as in UC. The body's {@code
     * full_name} and {@code version} (UC requires both) must name the version of the path.
     */
    @Transactional
    public ModelVersion finalizeVersion(RegisteredModelName name, long version, String bodyFullName, Long bodyVersion) {
        access.requireManage(name.securable());
        if (bodyFullName == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "No three tier full name specified.");
        }
        if (bodyVersion == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "No version specified.");
        }
        if (!RegisteredModelName.parse(bodyFullName).equals(name) || bodyVersion != version) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "full_name and version (" + bodyFullName + "/" + bodyVersion + ") must name the version of the"
                            + " path (" + name + "/" + version + ").");
        }
        RegisteredModel model = models.require(name);
        ModelVersion current = repository.require(model, version);
        if (!repository.finalizeVersion(model, version, access.caller().principal(), clock.instant())) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_ACTION,
                    "Model version not in a pending registration state: " + name + "/" + version + " is "
                            + current.status() + ".");
        }
        return repository.require(model, version);
    }

    /** Needs ownership of the model or MANAGE; its directory stays reserved for the retention, then is deleted. */
    @Transactional
    public void delete(RegisteredModelName name, long version) {
        access.requireManage(name.securable());
        RegisteredModel model = models.require(name);
        ModelVersion gone = repository.require(model, version);
        repository.delete(model, version);
        dropped.reserve(gone.storageLocation(), gone.id(), "model version " + name + "/" + version);
    }

    /**
     * Unity Catalog's {@code TemporaryCredentials} for a version's directory: {@code
     * READ_MODEL_VERSION} needs EXECUTE on the model, {@code READ_WRITE_MODEL_VERSION} ownership or
     * MANAGE and a version still PENDING_REGISTRATION (a finalized one's files are not rewritten);
     * a FAILED_REGISTRATION version gets none. The grants are checked before the version is looked
     * up, then the status, then the location (a local one is 422 from {@link CredentialVending}).
     */
    public Map<String, Object> temporaryCredentials(RegisteredModelName name, Long version, String operation) {
        boolean write = switch (operation == null ? "" : operation) {
            case "READ_MODEL_VERSION" -> false;
            case "READ_WRITE_MODEL_VERSION" -> true;
            default ->
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "operation must be READ_MODEL_VERSION or READ_WRITE_MODEL_VERSION.");
        };
        if (version == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "version is required.");
        }
        if (write) {
            access.requireManage(name.securable());
        } else {
            access.require(name.securable(), Privilege.EXECUTE);
        }
        ModelVersion found = repository.require(models.require(name), version);
        if (found.status() == ModelVersionStatus.FAILED_REGISTRATION) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_ACTION,
                    "Cannot request credentials on a model version with status FAILED_REGISTRATION: " + name + "/"
                            + version + ".");
        }
        if (write && found.status() != ModelVersionStatus.PENDING_REGISTRATION) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_ACTION,
                    "Cannot request read/write credentials on a model version that has been finalized: " + name + "/"
                            + version + ".");
        }
        return vending.unity(found.storageLocation(), write, access.caller().principal());
    }
}
