package io.deltaplane.metadata.views;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.SchemaService;
import io.deltaplane.metadata.functions.FunctionService;
import io.deltaplane.metadata.lineage.ViewDefinition;
import io.deltaplane.metadata.lineage.ViewLineageOutbox;
import io.deltaplane.metadata.names.FunctionName;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.LocationClaims;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Views and metric views, Unity Catalog's view-like tables: a definition an engine runs over the
 * tables and functions it depends on. The catalog keeps and serves them, never runs them; they have
 * no location and no Delta log. A view is a table securable (SELECT reads it, CREATE_TABLE on the
 * schema makes one) and shares the tables' names: a view and a table are never named alike.
 * Dependencies are checked as UC checks them (each one exists), and the creator must be able to read
 * each (SELECT on a table or view, EXECUTE on a function): a view never names what its creator could
 * not see.
 */
@Service
public class ViewService {

    private final ViewRepository repository;
    private final TableRepository tables;
    private final SchemaService schemas;
    private final FunctionService functions;
    private final LocationClaims claims;
    private final AccessControl access;
    private final GrantStore grants;
    private final ViewLineageOutbox lineage;
    private final Clock clock;

    ViewService(
            ViewRepository repository,
            TableRepository tables,
            SchemaService schemas,
            FunctionService functions,
            LocationClaims claims,
            AccessControl access,
            GrantStore grants,
            ViewLineageOutbox lineage,
            Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.tables = requireNonNull(tables, "tables");
        this.schemas = requireNonNull(schemas, "schemas");
        this.functions = requireNonNull(functions, "functions");
        this.claims = requireNonNull(claims, "claims");
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.lineage = requireNonNull(lineage, "lineage");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Needs CREATE_TABLE on the schema and a read of each dependency; the caller owns the view. */
    @Transactional
    public View create(
            TableName name,
            ViewType type,
            String definition,
            List<ViewDependency> dependencies,
            String columnsJson,
            String comment,
            Map<String, String> properties) {
        access.require(name.schemaName().securable(), Privilege.CREATE_TABLE);
        String label = type == ViewType.METRIC_VIEW ? "metric view" : "view";
        if (definition == null || definition.isEmpty()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "view_definition is required for " + label + ".");
        }
        if (type == ViewType.METRIC_VIEW && dependencies.isEmpty()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "view_dependencies must contain at least one entry for metric view.");
        }
        schemas.get(name.schemaName()); // 404 for a schema that does not exist
        for (ViewDependency dependency : dependencies) {
            requireReadable(dependency);
        }
        claims.lock(); // serializes with table creates, which check views by name under it
        if (tables.find(name.catalog(), name.schema(), name.name()).isPresent()) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Table already exists: " + name + ".");
        }
        String caller = access.caller().principal();
        repository.insert(new View(
                UUID.randomUUID(),
                name,
                type,
                definition,
                dependencies,
                columnsJson,
                comment,
                properties,
                caller,
                clock.instant(),
                caller,
                clock.instant(),
                caller));
        access.makeCallerOwner(name.securable());
        // lineage's edges from what it reads, in this transaction: a refused view never reaches lineage
        lineage.record(new ViewDefinition(
                UUID.randomUUID(),
                name.toString(),
                type.name(),
                dependencies.stream()
                        .filter(d -> d.kind() == ViewDependency.Kind.TABLE)
                        .map(ViewDependency::fullName)
                        .toList(),
                clock.instant()));
        return repository.find(name).orElseThrow();
    }

    /** Needs SELECT on it (or ownership), with USE_CATALOG and USE_SCHEMA; empty when no view has that name. */
    public Optional<View> find(TableName name) {
        access.requireAny(name.securable(), Privilege.SELECT, Privilege.MODIFY);
        return repository.find(name);
    }

    /** Whether a view has this name (for the tables' side of the name rule; no authorization). */
    public boolean exists(TableName name) {
        return repository.exists(name);
    }

    /** The schema's views the caller may see, in name order; needs USE_SCHEMA. */
    public Page<View> list(SchemaName schema, String pageToken, int limit) {
        schemas.get(schema);
        return listInUsableSchema(schema, pageToken, limit);
    }

    /**
     * {@link #list} once the caller's USE_SCHEMA on an existing {@code schema} was checked in the
     * same request ({@link TablesAndViews}, after the tables' page): the schema is not read again.
     */
    Page<View> listInUsableSchema(SchemaName schema, String pageToken, int limit) {
        String[] only = access.visibleChildNames(schema.securable(), SecurableType.TABLE, Privilege.SELECT);
        return Page.of(
                repository.page(schema, PageTokens.decode(pageToken), only, limit + 1),
                limit,
                view -> view.name().name());
    }

    /** Needs ownership or MANAGE; false when no view has that name. Its grants go with it. */
    @Transactional
    public boolean delete(TableName name) {
        access.requireManage(name.securable());
        if (!repository.delete(name)) {
            return false;
        }
        grants.forget(name.securable());
        access.invalidate();
        return true;
    }

    private void requireReadable(ViewDependency dependency) {
        switch (dependency.kind()) {
            case TABLE -> {
                TableName table = TableName.parse(dependency.fullName());
                access.requireAny(table.securable(), Privilege.SELECT, Privilege.MODIFY);
                if (tables.find(table.catalog(), table.schema(), table.name()).isEmpty() && !repository.exists(table)) {
                    throw ApiException.notFound(
                            ErrorCode.TABLE_NOT_FOUND, "View dependency table does not exist: " + table + ".");
                }
            }
            case FUNCTION -> {
                try {
                    functions.get(FunctionName.parse(dependency.fullName())); // EXECUTE, then 404
                } catch (ApiException e) {
                    if (e.status().value() == 404) {
                        throw ApiException.notFound(
                                ErrorCode.FUNCTION_NOT_FOUND,
                                "View dependency function does not exist: " + dependency.fullName() + ".");
                    }
                    throw e;
                }
            }
        }
    }
}
