package io.deltaplane.metadata.functions;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.names.FunctionName;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Functions, Unity Catalog's securable for a routine engines run: who may register, see and drop
 * one. Unity Catalog's {@code FunctionService} rules on Deltaplane's privileges: {@code
 * CREATE_FUNCTION} on the schema to register (the caller owns what it registers), {@code EXECUTE}
 * (or ownership) to see one, ownership or {@code MANAGE} to drop one. Functions have no update,
 * as in Unity Catalog: a changed function is dropped and registered again.
 */
@Service
public class FunctionService {

    private final FunctionRepository repository;
    private final SchemaService schemas;
    private final AccessControl access;
    private final GrantStore grants;
    private final Clock clock;

    FunctionService(
            FunctionRepository repository,
            SchemaService schemas,
            AccessControl access,
            GrantStore grants,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.schemas = requireNonNull(schemas, "schemas");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * 400 for a definition UC would refuse (before any look-up: it is wrong whoever sends it); then
     * needs {@code CREATE_FUNCTION} on the schema (with USE_CATALOG and USE_SCHEMA); 404 for a
     * schema that does not exist, 409 for a name taken. The caller owns the new function.
     */
    @Transactional
    public CatalogFunction create(FunctionName name, FunctionDefinition definition) {
        definition.validate();
        access.require(name.schemaName().securable(), Privilege.CREATE_FUNCTION);
        schemas.get(name.schemaName()); // 404 for a schema that does not exist
        repository.insert(UUID.randomUUID(), name, definition, access.caller().principal(), clock.instant());
        access.makeCallerOwner(name.securable());
        return repository.require(name);
    }

    /** The schema's functions the caller may see (EXECUTE, or ownership); needs USE_SCHEMA. */
    public Page<CatalogFunction> list(SchemaName schema, String pageToken, int limit) {
        schemas.get(schema); // USE_SCHEMA; 404 for a schema that does not exist
        String[] only = access.visibleChildNames(schema.securable(), SecurableType.FUNCTION, Privilege.EXECUTE);
        return Page.of(
                repository.page(schema, PageTokens.decode(pageToken), only, limit + 1),
                limit,
                function -> function.name().name());
    }

    /** Needs EXECUTE on it (or ownership), with USE_CATALOG and USE_SCHEMA. */
    public CatalogFunction get(FunctionName name) {
        access.require(name.securable(), Privilege.EXECUTE);
        return repository.require(name);
    }

    /** Needs ownership or MANAGE; its grants and owner go with it. */
    @Transactional
    public void delete(FunctionName name) {
        access.requireManage(name.securable());
        repository.delete(name);
        grants.forget(name.securable());
        access.invalidate();
    }

    /** 404 unless it exists (the permissions API on {@code function}). */
    public void requireExists(FunctionName name) {
        repository.require(name);
    }
}
