package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.functions.CatalogFunction;
import io.deltaplane.metadata.functions.FunctionDefinition;
import io.deltaplane.metadata.functions.FunctionParameter;
import io.deltaplane.metadata.functions.FunctionService;
import io.deltaplane.metadata.functions.RoutineDependency;
import io.deltaplane.metadata.names.FunctionName;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.support.paging.Page;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's functions ({@code /functions}), mapped onto {@link FunctionService}, which
 * decides who may do what. Stored and served, never run: engines run them.
 */
@RestController
public class UnityFunctionsController {

    static final String FUNCTIONS = UnityCatalogApi.BASE + "/functions";

    public record CreateFunctionRequestContent(CreateFunction functionInfo) {}

    public record CreateFunction(
            String name,
            String catalogName,
            String schemaName,
            FunctionParameterInfos inputParams,
            String dataType,
            String fullDataType,
            FunctionParameterInfos returnParams,
            String routineBody,
            String routineDefinition,
            DependencyList routineDependencies,
            String parameterStyle,
            Boolean isDeterministic,
            String sqlDataAccess,
            Boolean isNullCall,
            String securityType,
            String specificName,
            String comment,
            String properties,
            String externalLanguage) {}

    public record FunctionParameterInfos(List<FunctionParameterInfo> parameters) {}

    public record FunctionParameterInfo(
            String name,
            String typeText,
            String typeJson,
            String typeName,
            Integer typePrecision,
            Integer typeScale,
            String typeIntervalType,
            Integer position,
            String parameterMode,
            String parameterType,
            String parameterDefault,
            String comment) {}

    public record DependencyList(List<Dependency> dependencies) {}

    public record Dependency(TableDependency table, FunctionDependency function) {}

    public record TableDependency(String tableFullName) {}

    public record FunctionDependency(String functionFullName) {}

    public record FunctionInfo(
            String name,
            String catalogName,
            String schemaName,
            FunctionParameterInfos inputParams,
            String dataType,
            String fullDataType,
            FunctionParameterInfos returnParams,
            String routineBody,
            String routineDefinition,
            DependencyList routineDependencies,
            String parameterStyle,
            Boolean isDeterministic,
            String sqlDataAccess,
            Boolean isNullCall,
            String securityType,
            String specificName,
            String comment,
            String properties,
            String fullName,
            String owner,
            Long createdAt,
            String createdBy,
            Long updatedAt,
            String updatedBy,
            String functionId,
            String externalLanguage) {}

    public record ListFunctionsResponseContent(List<FunctionInfo> functions, String nextPageToken) {}

    private final FunctionService functions;

    public UnityFunctionsController(FunctionService functions) {
        this.functions = requireNonNull(functions, "functions");
    }

    @PostMapping(FUNCTIONS)
    public FunctionInfo create(@RequestBody CreateFunctionRequestContent request) {
        CreateFunction f = request == null ? null : request.functionInfo();
        if (f == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "function_info is required.");
        }
        FunctionDefinition definition = new FunctionDefinition(
                parameters(f.inputParams()),
                f.dataType(),
                f.fullDataType(),
                parameters(f.returnParams()),
                f.routineBody(),
                f.routineDefinition(),
                dependencies(f.routineDependencies()),
                f.parameterStyle(),
                f.isDeterministic(),
                f.sqlDataAccess(),
                f.isNullCall(),
                f.securityType(),
                f.specificName(),
                f.comment(),
                f.properties(),
                f.externalLanguage());
        return info(functions.create(FunctionName.of(f.catalogName(), f.schemaName(), f.name()), definition));
    }

    @GetMapping(FUNCTIONS)
    public ListFunctionsResponseContent list(
            @RequestParam(name = "catalog_name") String catalogName,
            @RequestParam(name = "schema_name") String schemaName,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Page<FunctionInfo> page = functions
                .list(
                        SchemaName.of(catalogName, schemaName),
                        UnityCatalogApi.pageToken(pageToken),
                        UnityCatalogApi.pageSize(maxResults))
                .map(UnityFunctionsController::info);
        return new ListFunctionsResponseContent(page.items(), page.nextPageToken());
    }

    @GetMapping(FUNCTIONS + "/{name}")
    public FunctionInfo get(@PathVariable String name) {
        return info(functions.get(FunctionName.parse(name)));
    }

    /** UC answers 200 with an empty body. */
    @DeleteMapping(FUNCTIONS + "/{name}")
    public Map<String, Object> delete(@PathVariable String name) {
        functions.delete(FunctionName.parse(name));
        return Map.of();
    }

    static FunctionInfo info(CatalogFunction function) {
        FunctionName name = function.name();
        FunctionDefinition d = function.definition();
        return new FunctionInfo(
                name.name(),
                name.catalog(),
                name.schema(),
                infos(d.inputParams()),
                d.dataType(),
                d.fullDataType(),
                infos(d.returnParams()),
                d.routineBody(),
                d.routineDefinition(),
                dependencyList(d.routineDependencies()),
                d.parameterStyle(),
                d.isDeterministic(),
                d.sqlDataAccess(),
                d.isNullCall(),
                d.securityType(),
                d.specificName(),
                d.comment(),
                d.properties(),
                name.toString(),
                function.owner(),
                UnityCatalogApi.millis(function.createdAt()),
                function.createdBy(),
                UnityCatalogApi.millis(function.updatedAt()),
                function.updatedBy(),
                function.id().toString(),
                d.externalLanguage());
    }

    private static List<FunctionParameter> parameters(FunctionParameterInfos infos) {
        if (infos == null || infos.parameters() == null) {
            return null;
        }
        return infos.parameters().stream()
                .map(p -> p == null
                        ? null
                        : new FunctionParameter(
                                p.name(),
                                p.typeText(),
                                p.typeJson(),
                                p.typeName(),
                                p.typePrecision(),
                                p.typeScale(),
                                p.typeIntervalType(),
                                p.position(),
                                p.parameterMode(),
                                p.parameterType(),
                                p.parameterDefault(),
                                p.comment()))
                .toList();
    }

    private static FunctionParameterInfos infos(List<FunctionParameter> parameters) {
        if (parameters == null) {
            return null;
        }
        return new FunctionParameterInfos(parameters.stream()
                .map(p -> new FunctionParameterInfo(
                        p.name(),
                        p.typeText(),
                        p.typeJson(),
                        p.typeName(),
                        p.typePrecision(),
                        p.typeScale(),
                        p.typeIntervalType(),
                        p.position(),
                        p.parameterMode(),
                        p.parameterType(),
                        p.parameterDefault(),
                        p.comment()))
                .toList());
    }

    private static List<RoutineDependency> dependencies(DependencyList list) {
        if (list == null || list.dependencies() == null) {
            return null;
        }
        return list.dependencies().stream()
                .map(d -> d == null
                        ? null
                        : new RoutineDependency(
                                d.table() == null ? null : d.table().tableFullName(),
                                d.function() == null ? null : d.function().functionFullName()))
                .toList();
    }

    private static DependencyList dependencyList(List<RoutineDependency> dependencies) {
        if (dependencies == null) {
            return null;
        }
        return new DependencyList(dependencies.stream()
                .map(d -> new Dependency(
                        d.table() == null ? null : new TableDependency(d.table()),
                        d.function() == null ? null : new FunctionDependency(d.function())))
                .toList());
    }
}
