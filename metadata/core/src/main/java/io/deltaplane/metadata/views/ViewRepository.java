package io.deltaplane.metadata.views;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** The one writer of {@code views}. */
@Repository
class ViewRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {};

    // The owner (platform.owners, under the table securable a view is) comes with the row.
    static final String COLUMNS = "SELECT v.id, v.catalog, v.schema, v.name, v.view_type, v.view_definition,"
            + " v.view_dependencies::text, v.columns::text, v.comment, v.properties::text,"
            + " (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'table'"
            + " AND o.securable_name = v.catalog || '.' || v.schema || '.' || v.name),"
            + " v.created_at, v.created_by, v.updated_at, v.updated_by FROM views v";
    static final String BY_NAME = COLUMNS + " WHERE v.catalog = ? AND v.schema = ? AND v.name = ?";
    static final String PAGE = COLUMNS + " WHERE v.catalog = ? AND v.schema = ? AND v.name > ?"
            + " AND (CAST(? AS text[]) IS NULL OR v.name = ANY(CAST(? AS text[]))) ORDER BY v.name LIMIT ?";
    static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM views WHERE catalog = ? AND schema = ? AND name = ?)";
    static final String INSERT = """
            INSERT INTO views (id, catalog, schema, name, view_type, view_definition, view_dependencies, columns,
                               comment, properties, created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?, CAST(? AS jsonb), ?, ?, ?, ?)""";
    static final String DELETE = "DELETE FROM views WHERE catalog = ? AND schema = ? AND name = ?";

    private final JdbcClient jdbc;

    ViewRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void insert(View view) {
        TableName name = view.name();
        Timestamp at = Timestamp.from(view.createdAt());
        try {
            jdbc.sql(INSERT)
                    .params(
                            view.id(),
                            name.catalog(),
                            name.schema(),
                            name.name(),
                            view.type().name(),
                            view.definition(),
                            dependencies(view.dependencies()),
                            view.columnsJson(),
                            view.comment(),
                            JSON.writeValueAsString(view.properties()),
                            at,
                            view.createdBy(),
                            at,
                            view.createdBy())
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Table already exists: " + name + ".");
        }
    }

    Optional<View> find(TableName name) {
        return jdbc.sql(BY_NAME)
                .params(name.catalog(), name.schema(), name.name())
                .query(ViewRepository::row)
                .optional();
    }

    boolean exists(TableName name) {
        return jdbc.sql(EXISTS)
                .params(name.catalog(), name.schema(), name.name())
                .query(Boolean.class)
                .single();
    }

    /** Names after {@code after} in name order, only {@code only} when not null. */
    List<View> page(SchemaName schema, String after, String[] only, int limit) {
        return jdbc.sql(PAGE)
                .params(schema.catalog(), schema.name(), after, only, only, limit)
                .query(ViewRepository::row)
                .list();
    }

    boolean delete(TableName name) {
        return jdbc.sql(DELETE)
                        .params(name.catalog(), name.schema(), name.name())
                        .update()
                == 1;
    }

    private static String dependencies(List<ViewDependency> dependencies) {
        ArrayNode array = JSON.createArrayNode();
        for (ViewDependency dependency : dependencies) {
            array.addObject().put("kind", dependency.kind().name()).put("full_name", dependency.fullName());
        }
        return array.toString();
    }

    private static View row(ResultSet rs, int n) throws SQLException {
        List<ViewDependency> dependencies = new ArrayList<>();
        for (JsonNode dependency : JSON.readTree(rs.getString(7))) {
            dependencies.add(new ViewDependency(
                    ViewDependency.Kind.valueOf(dependency.get("kind").asString()),
                    dependency.get("full_name").asString()));
        }
        Map<String, String> properties = JSON.readValue(rs.getString(10), PROPERTIES);
        return new View(
                rs.getObject(1, UUID.class),
                new TableName(rs.getString(2), rs.getString(3), rs.getString(4)),
                ViewType.valueOf(rs.getString(5)),
                rs.getString(6),
                dependencies,
                rs.getString(8),
                rs.getString(9),
                properties,
                rs.getString(11),
                rs.getTimestamp(12).toInstant(),
                rs.getString(13),
                rs.getTimestamp(14).toInstant(),
                rs.getString(15));
    }
}
