package io.deltaplane.metadata.functions;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.FunctionName;
import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** The one writer of {@code functions}. */
@Repository
class FunctionRepository {

    // The owner (platform.owners) comes with the row: a page of functions is one statement.
    static final String COLUMNS = "SELECT f.id, f.catalog, f.schema, f.name, f.input_params::text, f.data_type,"
            + " f.full_data_type, f.return_params::text, f.routine_body, f.routine_definition,"
            + " f.routine_dependencies::text, f.parameter_style, f.is_deterministic, f.sql_data_access,"
            + " f.is_null_call, f.security_type, f.specific_name, f.comment, f.properties, f.external_language,"
            + " (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'function'"
            + " AND o.securable_name = f.catalog || '.' || f.schema || '.' || f.name),"
            + " f.created_at, f.created_by, f.updated_at, f.updated_by FROM functions f";
    static final String BY_NAME = COLUMNS + " WHERE f.catalog = ? AND f.schema = ? AND f.name = ?";
    static final String PAGE = COLUMNS + " WHERE f.catalog = ? AND f.schema = ? AND f.name > ?"
            + " AND (CAST(? AS text[]) IS NULL OR f.name = ANY(CAST(? AS text[]))) ORDER BY f.name LIMIT ?";
    static final String INSERT = """
            INSERT INTO functions (id, catalog, schema, name, input_params, data_type, full_data_type,
                                   return_params, routine_body, routine_definition, routine_dependencies,
                                   parameter_style, is_deterministic, sql_data_access, is_null_call,
                                   security_type, specific_name, comment, properties, external_language,
                                   created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, CAST(? AS jsonb), ?, ?, CAST(? AS jsonb), ?, ?, CAST(? AS jsonb),
                    ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String DELETE = "DELETE FROM functions WHERE catalog = ? AND schema = ? AND name = ? RETURNING id";

    // Parameters and dependencies are stored as the JSON of their records, snake_case as on the wire.
    private static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();
    private static final TypeReference<List<FunctionParameter>> PARAMETERS = new TypeReference<>() {};
    private static final TypeReference<List<RoutineDependency>> DEPENDENCIES = new TypeReference<>() {};

    private final JdbcClient jdbc;

    FunctionRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** 409 {@code ALREADY_EXISTS} when the schema has a function of that name. */
    void insert(UUID id, FunctionName name, FunctionDefinition d, String by, Instant at) {
        Timestamp now = Timestamp.from(at);
        try {
            jdbc.sql(INSERT)
                    .params(
                            id,
                            name.catalog(),
                            name.schema(),
                            name.name(),
                            json(d.inputParams()),
                            d.dataType(),
                            d.fullDataType(),
                            json(d.returnParams()),
                            d.routineBody(),
                            d.routineDefinition(),
                            json(d.routineDependencies()),
                            d.parameterStyle(),
                            d.isDeterministic(),
                            d.sqlDataAccess(),
                            d.isNullCall(),
                            d.securityType(),
                            d.specificName(),
                            d.comment(),
                            d.properties(),
                            d.externalLanguage(),
                            now,
                            by,
                            now,
                            by)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Function already exists: " + name + ".");
        }
    }

    CatalogFunction require(FunctionName name) {
        return find(name).orElseThrow(() -> notFound(name.toString()));
    }

    Optional<CatalogFunction> find(FunctionName name) {
        return jdbc.sql(BY_NAME)
                .params(name.catalog(), name.schema(), name.name())
                .query(FunctionRepository::row)
                .optional();
    }

    /** Names after {@code after} in name order, only {@code only} when not null. */
    List<CatalogFunction> page(SchemaName schema, String after, String[] only, int limit) {
        return jdbc.sql(PAGE)
                .params(schema.catalog(), schema.name(), after, only, only, limit)
                .query(FunctionRepository::row)
                .list();
    }

    /** The dropped function's id; 404 when there is none of that name. */
    UUID delete(FunctionName name) {
        return jdbc.sql(DELETE)
                .params(name.catalog(), name.schema(), name.name())
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> notFound(name.toString()));
    }

    static ApiException notFound(String name) {
        return ApiException.notFound(ErrorCode.FUNCTION_NOT_FOUND, "Function not found: " + name + ".");
    }

    private static String json(List<?> list) {
        return list == null ? null : JSON.writeValueAsString(list);
    }

    private static <T> List<T> list(String json, TypeReference<List<T>> type) {
        return json == null ? null : JSON.readValue(json, type);
    }

    private static CatalogFunction row(ResultSet rs, int n) throws SQLException {
        FunctionDefinition definition = new FunctionDefinition(
                list(rs.getString(5), PARAMETERS),
                rs.getString(6),
                rs.getString(7),
                list(rs.getString(8), PARAMETERS),
                rs.getString(9),
                rs.getString(10),
                list(rs.getString(11), DEPENDENCIES),
                rs.getString(12),
                rs.getObject(13, Boolean.class),
                rs.getString(14),
                rs.getObject(15, Boolean.class),
                rs.getString(16),
                rs.getString(17),
                rs.getString(18),
                rs.getString(19),
                rs.getString(20));
        return new CatalogFunction(
                rs.getObject(1, UUID.class),
                new FunctionName(rs.getString(2), rs.getString(3), rs.getString(4)),
                definition,
                rs.getString(21),
                rs.getTimestamp(22).toInstant(),
                rs.getString(23),
                rs.getTimestamp(24).toInstant(),
                rs.getString(25));
    }
}
