package io.deltaplane.metadata.models;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.RegisteredModelName;
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

/** The one writer of {@code registered_models}. */
@Repository
class RegisteredModelRepository {

    // The owner (platform.owners) comes with the row: a page of models is one statement.
    static final String COLUMNS = "SELECT m.id, m.catalog, m.schema, m.name, m.storage_location, m.comment,"
            + " (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'registered_model'"
            + " AND o.securable_name = m.catalog || '.' || m.schema || '.' || m.name),"
            + " m.created_at, m.created_by, m.updated_at, m.updated_by FROM registered_models m";
    static final String BY_NAME = COLUMNS + " WHERE m.catalog = ? AND m.schema = ? AND m.name = ?";
    static final String PAGE = COLUMNS + " WHERE m.catalog = ? AND m.schema = ? AND m.name > ?"
            + " AND (CAST(? AS text[]) IS NULL OR m.name = ANY(CAST(? AS text[]))) ORDER BY m.name LIMIT ?";
    /** Every model after a full name, in full-name order (UC lists the whole metastore's too). */
    static final String ALL_AFTER = COLUMNS + " WHERE (m.catalog, m.schema, m.name) > (?, ?, ?)"
            + " ORDER BY m.catalog, m.schema, m.name LIMIT ?";

    static final String IN_NAMESPACE = "SELECT id, catalog || '.' || schema || '.' || name, storage_location"
            + " FROM registered_models WHERE catalog = ? AND (CAST(? AS text) IS NULL OR schema = ?)";
    static final String INSERT = """
            INSERT INTO registered_models (id, catalog, schema, name, storage_location, comment,
                                           created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String UPDATE = """
            UPDATE registered_models SET name = ?, comment = ?, updated_at = ?, updated_by = ?
            WHERE catalog = ? AND schema = ? AND name = ?""";
    /** Hands out the next version number; the row lock orders concurrent creates of versions. */
    static final String NEXT_VERSION =
            "UPDATE registered_models SET max_version = max_version + 1 WHERE id = ? RETURNING max_version";

    static final String DELETE = "DELETE FROM registered_models WHERE id = ?";

    /** A model's directory, as a drop of its schema or catalog finds it. */
    record ModelDirectory(UUID id, String fullName, String location) {}

    private final JdbcClient jdbc;

    RegisteredModelRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void insert(UUID id, RegisteredModelName name, String location, String comment, String by, Instant at) {
        Timestamp now = Timestamp.from(at);
        try {
            jdbc.sql(INSERT)
                    .params(id, name.catalog(), name.schema(), name.name(), location, comment, now, by, now, by)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Registered model already exists: " + name + ".");
        }
    }

    RegisteredModel require(RegisteredModelName name) {
        return find(name).orElseThrow(() -> notFound(name.toString()));
    }

    Optional<RegisteredModel> find(RegisteredModelName name) {
        return jdbc.sql(BY_NAME)
                .params(name.catalog(), name.schema(), name.name())
                .query(RegisteredModelRepository::row)
                .optional();
    }

    /** Names after {@code after} in name order, only {@code only} when not null. */
    List<RegisteredModel> page(SchemaName schema, String after, String[] only, int limit) {
        return jdbc.sql(PAGE)
                .params(schema.catalog(), schema.name(), after, only, only, limit)
                .query(RegisteredModelRepository::row)
                .list();
    }

    /** The metastore's models after {@code after} (a full name, "" for the first), in full-name order. */
    List<RegisteredModel> allAfter(RegisteredModelName after, int limit) {
        return jdbc.sql(ALL_AFTER)
                .params(after.catalog(), after.schema(), after.name(), limit)
                .query(RegisteredModelRepository::row)
                .list();
    }

    /** The models of a catalog, or of one of its schemas ({@code schema} not null). */
    List<ModelDirectory> in(String catalog, String schema) {
        return jdbc.sql(IN_NAMESPACE)
                .params(catalog, schema, schema)
                .query((rs, n) -> new ModelDirectory(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .list();
    }

    /** Name and comment as given; 409 when the new name is taken. */
    void update(RegisteredModelName name, String newName, String comment, String by, Instant at) {
        int updated;
        try {
            updated = jdbc.sql(UPDATE)
                    .params(newName, comment, Timestamp.from(at), by, name.catalog(), name.schema(), name.name())
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS, "Registered model already exists: " + name.renamed(newName) + ".");
        }
        if (updated == 0) {
            throw notFound(name.toString());
        }
    }

    /** The model's next version number (1 for its first; a dropped version's is never reused). */
    long nextVersion(UUID modelId) {
        return jdbc.sql(NEXT_VERSION).param(modelId).query(Long.class).single();
    }

    /** Drops the model; its versions go with it (ON DELETE CASCADE). */
    void delete(UUID id) {
        jdbc.sql(DELETE).param(id).update();
    }

    static ApiException notFound(String name) {
        return ApiException.notFound(ErrorCode.REGISTERED_MODEL_NOT_FOUND, "Registered model not found: " + name + ".");
    }

    private static RegisteredModel row(ResultSet rs, int n) throws SQLException {
        return new RegisteredModel(
                rs.getObject(1, UUID.class),
                new RegisteredModelName(rs.getString(2), rs.getString(3), rs.getString(4)),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getTimestamp(8).toInstant(),
                rs.getString(9),
                rs.getTimestamp(10).toInstant(),
                rs.getString(11));
    }
}
