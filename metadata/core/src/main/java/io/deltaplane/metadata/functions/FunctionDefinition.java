package io.deltaplane.metadata.functions;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a function is, as Unity Catalog's {@code CreateFunction} says it: everything but its name.
 * Kept and served as sent; the platform never runs it. Parameter lists and dependencies are null
 * when none were sent (UC answers an empty list as absent).
 */
public record FunctionDefinition(
        List<FunctionParameter> inputParams,
        String dataType,
        String fullDataType,
        List<FunctionParameter> returnParams,
        String routineBody,
        String routineDefinition,
        List<RoutineDependency> routineDependencies,
        String parameterStyle,
        Boolean isDeterministic,
        String sqlDataAccess,
        Boolean isNullCall,
        String securityType,
        String specificName,
        String comment,
        String properties,
        String externalLanguage) {

    /** UC's {@code ColumnTypeName}: a return type's or a parameter's {@code type_name}. */
    static final Set<String> TYPE_NAMES = Set.of(
            "BOOLEAN",
            "BYTE",
            "SHORT",
            "INT",
            "LONG",
            "FLOAT",
            "DOUBLE",
            "DATE",
            "TIMESTAMP",
            "TIMESTAMP_NTZ",
            "STRING",
            "BINARY",
            "DECIMAL",
            "INTERVAL",
            "ARRAY",
            "STRUCT",
            "MAP",
            "VARIANT",
            "CHAR",
            "NULL",
            "USER_DEFINED_TYPE",
            "TABLE_TYPE");

    static final Set<String> ROUTINE_BODIES = Set.of("SQL", "EXTERNAL");
    static final Set<String> PARAMETER_STYLES = Set.of("S");
    static final Set<String> SQL_DATA_ACCESS = Set.of("CONTAINS_SQL", "READS_SQL_DATA", "NO_SQL");
    static final Set<String> SECURITY_TYPES = Set.of("DEFINER");
    static final Set<String> PARAMETER_MODES = Set.of("IN");
    static final Set<String> PARAMETER_TYPES = Set.of("PARAM", "COLUMN");

    public FunctionDefinition {
        inputParams = noneAsNull(inputParams);
        returnParams = noneAsNull(returnParams);
        routineDependencies = noneAsNull(routineDependencies);
    }

    /**
     * 400 {@code VALIDATION_FAILED} naming the first field UC's {@code CreateFunction} requires that
     * is missing, or holds a value outside its enumeration. {@code input_params} and {@code
     * sql_data_access} may be left out: UC's server takes a function without them (its own tests
     * create one without {@code sql_data_access}).
     */
    void validate() {
        oneOf("data_type", dataType, TYPE_NAMES);
        required("full_data_type", fullDataType);
        oneOf("routine_body", routineBody, ROUTINE_BODIES);
        required("routine_definition", routineDefinition);
        oneOf("parameter_style", parameterStyle, PARAMETER_STYLES);
        required("is_deterministic", isDeterministic);
        if (sqlDataAccess != null) {
            oneOf("sql_data_access", sqlDataAccess, SQL_DATA_ACCESS);
        }
        required("is_null_call", isNullCall);
        oneOf("security_type", securityType, SECURITY_TYPES);
        required("specific_name", specificName);
        parameters("input_params", inputParams);
        parameters("return_params", returnParams);
        if (routineDependencies != null) {
            for (int i = 0; i < routineDependencies.size(); i++) {
                RoutineDependency dependency = routineDependencies.get(i);
                if (dependency == null || (blank(dependency.table()) && blank(dependency.function()))) {
                    throw invalid("routine_dependencies.dependencies[" + i
                            + "] must name a table (table_full_name) or a function (function_full_name).");
                }
            }
        }
    }

    private static void parameters(String field, List<FunctionParameter> parameters) {
        if (parameters == null) {
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            FunctionParameter parameter = parameters.get(i);
            String at = field + ".parameters[" + i + "]";
            if (parameter == null) {
                throw invalid(at + " must not be null.");
            }
            required(at + ".name", parameter.name());
            required(at + ".type_text", parameter.typeText());
            required(at + ".type_json", parameter.typeJson());
            oneOf(at + ".type_name", parameter.typeName(), TYPE_NAMES);
            required(at + ".position", parameter.position());
            if (parameter.parameterMode() != null) {
                oneOf(at + ".parameter_mode", parameter.parameterMode(), PARAMETER_MODES);
            }
            if (parameter.parameterType() != null) {
                oneOf(at + ".parameter_type", parameter.parameterType(), PARAMETER_TYPES);
            }
        }
    }

    private static void required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw invalid(field + " is required.");
        }
    }

    private static void oneOf(String field, String value, Set<String> allowed) {
        required(field, value);
        if (!allowed.contains(value)) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            throw invalid(field + " must be one of " + new TreeSet<>(allowed) + ", not '" + shown + "'.");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, message);
    }

    private static <T> List<T> noneAsNull(List<T> list) {
        // nulls kept (then refused by validate, naming the place), not an NPE here
        return list == null || list.isEmpty() ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
