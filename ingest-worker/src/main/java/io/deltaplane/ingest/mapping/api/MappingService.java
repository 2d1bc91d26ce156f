package io.deltaplane.ingest.mapping.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.config.ServicesProperties;
import io.deltaplane.ingest.delta.DeltaTables;
import io.deltaplane.ingest.mapping.MappingRepository;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.policy.MappingPolicy;
import io.deltaplane.ingest.sink.TargetTableCheck;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.InvalidField;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Creates, replaces, pauses and deletes mappings; running workers pick the changes up by polling. */
@Service
public class MappingService {

    private final MappingRepository repository;
    private final Clock clock;
    private final JsonMapper strict;

    private final MappingPolicy policy;
    private final TargetTableCheck targetTables;

    private final DeltaTables deltaTables;
    private final ServicesProperties services;
    private final AccessControl access;

    public MappingService(
            MappingRepository repository,
            Clock clock,
            JsonMapper json,
            MappingPolicy policy,
            TargetTableCheck targetTables,
            DeltaTables deltaTables,
            ServicesProperties services,
            AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.policy = requireNonNull(policy, "policy");
        this.targetTables = requireNonNull(targetTables, "targetTables");
        this.deltaTables = requireNonNull(deltaTables, "deltaTables");
        this.services = requireNonNull(services, "services");
        this.repository = requireNonNull(repository, "repository");
        this.clock = requireNonNull(clock, "clock");
        // Unknown fields are mistakes (a misspelt "max_rows" would silently fall back to a default).
        this.strict = json.rebuild()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }

    public StoredMapping create(JsonNode body) {
        MappingSpec spec = MappingValidator.validate(parse(body));
        authorizeTarget(spec);
        policy.check(spec);
        checkDeltaTarget(spec);
        checkTargetTable(spec);
        if (!repository.insert(spec, clock.instant())) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Mapping " + spec.name() + " already exists.");
        }
        return get(spec.name());
    }

    public StoredMapping replace(String name, JsonNode body) {
        MappingValidator.checkName(name);
        MappingSpec parsed = parse(body);
        if (parsed.name() != null && !parsed.name().equals(name)) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    ErrorCode.VALIDATION_FAILED,
                    "The body's name must be absent or equal to the path's (" + name + "); mappings are not renamed.");
        }
        MappingSpec spec = MappingValidator.validate(parsed.withName(name));
        authorizeTarget(get(name).spec()); // may not take over another team's mapping
        authorizeTarget(spec);
        policy.check(spec);
        checkDeltaTarget(spec);
        checkTargetTable(spec);
        if (!repository.replace(spec, clock.instant())) {
            throw notFound(name);
        }
        return get(name);
    }

    /**
     * A mapping whose written rows (and refused events) the caller may look at: for a Delta target
     * that takes SELECT (or MODIFY) on the table; other targets are no securable.
     */
    public StoredMapping readable(String name) {
        StoredMapping mapping = get(name);
        if (mapping.spec().target().isDelta()) {
            access.requireAny(Securable.table(mapping.spec().target().table()), Privilege.SELECT, Privilege.MODIFY);
        }
        return mapping;
    }

    public StoredMapping get(String name) {
        MappingValidator.checkName(name);
        return repository.find(name).orElseThrow(() -> notFound(name));
    }

    public List<StoredMapping> list() {
        return repository.findAll();
    }

    public void delete(String name) {
        authorizeTarget(get(name).spec());
        if (!repository.delete(name)) {
            throw notFound(name);
        }
    }

    public StoredMapping setPaused(String name, boolean paused) {
        authorizeTarget(get(name).spec());
        repository.setPaused(name, paused, clock.instant());
        return get(name);
    }

    /** A Delta target that exists must have the mapping's shape (422 TARGET_MISMATCH otherwise). */
    /**
     * The worker writes with a service key of its own, so the caller's grants are checked here: a
     * Delta target needs MODIFY on the table (granted on it or above), any other target the
     * metastore privilege CREATE_INGEST_MAPPING.
     */
    private void authorizeTarget(MappingSpec spec) {
        if (spec.target().isDelta()) {
            access.require(Securable.table(spec.target().table()), Privilege.MODIFY);
        } else {
            access.require(Securable.metastore(), Privilege.CREATE_INGEST_MAPPING);
        }
    }

    private void checkDeltaTarget(MappingSpec spec) {
        if (!spec.target().isDelta()) {
            return;
        }
        if (!services.hasApiKey()) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "Delta targets need the worker to hold a service key (DELTAPLANE_SERVICE_API_KEY) for"
                            + " metadata-service; this worker has none.");
        }
        try {
            deltaTables.checkIfExists(spec);
        } catch (IOException e) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "metadata-service could not be asked about " + spec.target().table() + "; try again.");
        }
    }

    private MappingSpec parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT, ErrorCode.VALIDATION_FAILED, "The body must be a JSON object.");
        }
        try {
            return strict.treeToValue(body, MappingSpec.class);
        } catch (JacksonException e) {
            throw new ApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    ErrorCode.VALIDATION_FAILED,
                    "The mapping does not match the expected shape: " + e.getOriginalMessage(),
                    Map.of("errors", List.of(e.getOriginalMessage())));
        }
    }

    /** 422 when the existing DuckDB table could not take the mapping's rows (nothing stored). */
    private void checkTargetTable(MappingSpec spec) {
        List<String> conflicts = targetTables.conflicts(spec);
        if (!conflicts.isEmpty()) {
            throw InvalidField.problem(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    conflicts.stream().map(InvalidField::parse).toList());
        }
    }

    static ApiException notFound(String name) {
        return ApiException.notFound(ErrorCode.MAPPING_NOT_FOUND, "No mapping named " + name + ".");
    }
}
