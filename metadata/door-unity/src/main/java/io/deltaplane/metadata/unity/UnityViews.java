package io.deltaplane.metadata.unity;

import io.deltaplane.metadata.unity.UnityColumns.ColumnInfo;
import io.deltaplane.metadata.unity.UnityTableInfo.Dependency;
import io.deltaplane.metadata.unity.UnityTableInfo.DependencyList;
import io.deltaplane.metadata.views.View;
import io.deltaplane.metadata.views.ViewDependency;
import io.deltaplane.metadata.views.ViewType;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Views and metric views in Unity Catalog's shapes: a {@code CreateTable}'s view fields in, {@code TableInfo} out. */
final class UnityViews {

    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(tools.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final TypeReference<List<ColumnInfo>> COLUMNS = new TypeReference<>() {};

    private UnityViews() {}

    /** {@code VIEW} or {@code METRIC_VIEW}; empty for the other table types. */
    static java.util.Optional<ViewType> type(String tableType) {
        return switch (tableType == null ? "" : tableType) {
            case "VIEW" -> java.util.Optional.of(ViewType.VIEW);
            case "METRIC_VIEW" -> java.util.Optional.of(ViewType.METRIC_VIEW);
            default -> java.util.Optional.empty();
        };
    }

    /** Each dependency, exactly one of a table or a function (400 naming the field otherwise). */
    static List<ViewDependency> dependencies(DependencyList list) {
        List<ViewDependency> dependencies = new ArrayList<>();
        if (list == null || list.dependencies() == null) {
            return dependencies;
        }
        for (int i = 0; i < list.dependencies().size(); i++) {
            Dependency dependency = list.dependencies().get(i);
            String field = "view_dependencies.dependencies[" + i + "]";
            if (dependency == null || (dependency.table() == null) == (dependency.function() == null)) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED, field + ": exactly one of table or function.");
            }
            if (dependency.table() != null) {
                dependencies.add(new ViewDependency(
                        ViewDependency.Kind.TABLE,
                        required(dependency.table().tableFullName(), field + ".table.table_full_name")));
            } else {
                dependencies.add(new ViewDependency(
                        ViewDependency.Kind.FUNCTION,
                        required(dependency.function().functionFullName(), field + ".function.function_full_name")));
            }
        }
        return dependencies;
    }

    static String columnsJson(List<ColumnInfo> columns) {
        return JSON.writeValueAsString(columns == null ? List.of() : columns);
    }

    static UnityTableInfo info(View view) {
        List<Dependency> dependencies = view.dependencies().stream()
                .map(d -> d.kind() == ViewDependency.Kind.TABLE
                        ? new Dependency(new UnityTableInfo.TableDependency(d.fullName()), null)
                        : new Dependency(null, new UnityTableInfo.FunctionDependency(d.fullName())))
                .toList();
        List<ColumnInfo> columns = JSON.readValue(view.columnsJson(), COLUMNS);
        Map<String, String> properties = new LinkedHashMap<>(view.properties());
        return new UnityTableInfo(
                view.name().name(),
                view.name().catalog(),
                view.name().schema(),
                view.type().name(),
                null,
                columns,
                null,
                view.comment(),
                properties,
                view.owner(),
                UnityCatalogApi.millis(view.createdAt()),
                UnityCatalogApi.millis(view.updatedAt()),
                view.id(),
                view.definition(),
                new DependencyList(dependencies));
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, field + " is required.");
        }
        return value;
    }
}
