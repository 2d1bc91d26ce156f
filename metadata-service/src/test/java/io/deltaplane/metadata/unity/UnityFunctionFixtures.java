package io.deltaplane.metadata.unity;

import io.unitycatalog.client.model.ColumnTypeName;
import io.unitycatalog.client.model.CreateFunction;
import io.unitycatalog.client.model.CreateFunctionRequest;
import io.unitycatalog.client.model.Dependency;
import io.unitycatalog.client.model.DependencyList;
import io.unitycatalog.client.model.FunctionDependency;
import io.unitycatalog.client.model.FunctionInfo;
import io.unitycatalog.client.model.FunctionParameterInfo;
import io.unitycatalog.client.model.FunctionParameterInfos;
import io.unitycatalog.client.model.FunctionParameterMode;
import io.unitycatalog.client.model.FunctionParameterType;
import io.unitycatalog.client.model.TableDependency;
import java.util.List;

/** The functions {@link UnityFunctionsTest} registers, in UC's client's own model. */
final class UnityFunctionFixtures {

    private UnityFunctionFixtures() {}

    /** UC's API docs' scalar Python function: {@code lowercase(s STRING) RETURNS STRING}. */
    static CreateFunction python(String catalog) {
        return new CreateFunction()
                .name("lowercase")
                .catalogName(catalog)
                .schemaName("s")
                .inputParams(params(param("s", ColumnTypeName.STRING, 0)
                        .typeJson("{\"name\":\"s\",\"type\":\"string\",\"nullable\":false,\"metadata\":{}}")))
                .dataType(ColumnTypeName.STRING)
                .fullDataType("STRING")
                .routineBody(CreateFunction.RoutineBodyEnum.EXTERNAL)
                .routineDefinition("g = s.lower()\\nreturn g")
                .parameterStyle(CreateFunction.ParameterStyleEnum.S)
                .isDeterministic(true)
                .sqlDataAccess(CreateFunction.SqlDataAccessEnum.NO_SQL)
                .isNullCall(false)
                .securityType(CreateFunction.SecurityTypeEnum.DEFINER)
                .specificName("lowercase")
                .comment("Converts a string to lowercase.")
                .externalLanguage("PYTHON");
    }

    /** A SQL table function with two inputs, two return columns, dependencies and properties. */
    static CreateFunction sqlTableFunction(String catalog) {
        return new CreateFunction()
                .name("orders_above")
                .catalogName(catalog)
                .schemaName("s")
                .inputParams(params(
                        param("min_amount", ColumnTypeName.DECIMAL, 0)
                                .typeText("decimal(10,2)")
                                .typePrecision(10)
                                .typeScale(2)
                                .comment("Smallest amount returned"),
                        param("day", ColumnTypeName.STRING, 1)
                                .parameterDefault("'2024-01-01'")
                                .parameterType(FunctionParameterType.COLUMN)))
                .dataType(ColumnTypeName.TABLE_TYPE)
                .fullDataType("TABLE(id BIGINT, amount DECIMAL(10,2))")
                .returnParams(params(
                        param("id", ColumnTypeName.LONG, 0).typeText("bigint"),
                        param("amount", ColumnTypeName.DECIMAL, 1)
                                .typeText("decimal(10,2)")
                                .typePrecision(10)
                                .typeScale(2)))
                .routineBody(CreateFunction.RoutineBodyEnum.SQL)
                .routineDefinition(
                        "SELECT id, amount FROM " + catalog + ".s.orders WHERE amount >= min_amount AND day = day")
                .routineDependencies(new DependencyList()
                        .addDependenciesItem(
                                new Dependency().table(new TableDependency().tableFullName(catalog + ".s.orders")))
                        .addDependenciesItem(new Dependency()
                                .function(new FunctionDependency().functionFullName(catalog + ".s.lowercase"))))
                .parameterStyle(CreateFunction.ParameterStyleEnum.S)
                .isDeterministic(false)
                .sqlDataAccess(CreateFunction.SqlDataAccessEnum.READS_SQL_DATA)
                .isNullCall(true)
                .securityType(CreateFunction.SecurityTypeEnum.DEFINER)
                .specificName("orders_above_v1")
                .comment("Orders at or above an amount on a day.")
                .properties("{\"team\":\"finance\",\"tier\":\"gold\"}");
    }

    static FunctionParameterInfo param(String name, ColumnTypeName type, int position) {
        String text = type.getValue().toLowerCase();
        return new FunctionParameterInfo()
                .name(name)
                .typeText(text)
                .typeJson("{\"name\":\"" + name + "\",\"type\":\"" + text + "\",\"nullable\":true,\"metadata\":{}}")
                .typeName(type)
                .position(position)
                .parameterMode(FunctionParameterMode.IN)
                .parameterType(FunctionParameterType.PARAM);
    }

    static FunctionParameterInfos params(FunctionParameterInfo... parameters) {
        return new FunctionParameterInfos().parameters(List.of(parameters));
    }

    static CreateFunctionRequest request(CreateFunction function) {
        return new CreateFunctionRequest().functionInfo(function);
    }

    /** What UC answers for {@code sent}: every field as sent, the server's own from {@code server}. */
    static FunctionInfo expected(CreateFunction sent, FunctionInfo server) {
        return new FunctionInfo()
                .name(sent.getName())
                .catalogName(sent.getCatalogName())
                .schemaName(sent.getSchemaName())
                .inputParams(sent.getInputParams())
                .dataType(sent.getDataType())
                .fullDataType(sent.getFullDataType())
                .returnParams(sent.getReturnParams())
                .routineBody(FunctionInfo.RoutineBodyEnum.fromValue(
                        sent.getRoutineBody().getValue()))
                .routineDefinition(sent.getRoutineDefinition())
                .routineDependencies(sent.getRoutineDependencies())
                .parameterStyle(FunctionInfo.ParameterStyleEnum.fromValue(
                        sent.getParameterStyle().getValue()))
                .isDeterministic(sent.getIsDeterministic())
                .sqlDataAccess(FunctionInfo.SqlDataAccessEnum.fromValue(
                        sent.getSqlDataAccess().getValue()))
                .isNullCall(sent.getIsNullCall())
                .securityType(FunctionInfo.SecurityTypeEnum.fromValue(
                        sent.getSecurityType().getValue()))
                .specificName(sent.getSpecificName())
                .comment(sent.getComment())
                .properties(sent.getProperties())
                .externalLanguage(sent.getExternalLanguage())
                .fullName(server.getFullName())
                .owner(server.getOwner())
                .createdAt(server.getCreatedAt())
                .createdBy(server.getCreatedBy())
                .updatedAt(server.getUpdatedAt())
                .updatedBy(server.getUpdatedBy())
                .functionId(server.getFunctionId());
    }
}
