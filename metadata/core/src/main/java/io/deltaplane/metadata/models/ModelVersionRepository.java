package io.deltaplane.metadata.models;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.RegisteredModelName;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The one writer of {@code model_versions}. */
@Repository
class ModelVersionRepository {

    // The model's name comes with the row: versions follow their model through a rename.
    static final String COLUMNS = "SELECT v.id, m.catalog, m.schema, m.name, v.version, v.source, v.run_id, v.status,"
            + " v.storage_location, v.comment, v.created_at, v.created_by, v.updated_at, v.updated_by"
            + " FROM model_versions v JOIN registered_models m ON m.id = v.model_id";
    static final String BY_VERSION = COLUMNS + " WHERE v.model_id = ? AND v.version = ?";
    static final String PAGE = COLUMNS + " WHERE v.model_id = ? AND v.version > ? ORDER BY v.version LIMIT ?";
    static final String ANY = "SELECT EXISTS (SELECT 1 FROM model_versions WHERE model_id = ?)";
    static final String INSERT = """
            INSERT INTO model_versions (id, model_id, version, source, run_id, status, storage_location, comment,
                                        created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String UPDATE_COMMENT = """
            UPDATE model_versions SET comment = ?, updated_at = ?, updated_by = ?
            WHERE model_id = ? AND version = ?""";
    /** Only a pending version is finalized: 0 rows when it is not (or no longer) pending. */
    static final String FINALIZE = """
            UPDATE model_versions SET status = 'READY', updated_at = ?, updated_by = ?
            WHERE model_id = ? AND version = ? AND status = 'PENDING_REGISTRATION'""";

    static final String DELETE = "DELETE FROM model_versions WHERE model_id = ? AND version = ?";

    /** What a new version is made of. */
    record NewVersion(
            UUID id, UUID modelId, long version, String source, String runId, String location, String comment) {}

    private final JdbcClient jdbc;

    ModelVersionRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void insert(NewVersion version, String by, Instant at) {
        Timestamp now = Timestamp.from(at);
        jdbc.sql(INSERT)
                .params(
                        version.id(),
                        version.modelId(),
                        version.version(),
                        version.source(),
                        version.runId(),
                        ModelVersionStatus.PENDING_REGISTRATION.name(),
                        version.location(),
                        version.comment(),
                        now,
                        by,
                        now,
                        by)
                .update();
    }

    ModelVersion require(RegisteredModel model, long version) {
        return find(model.id(), version).orElseThrow(() -> notFound(model.name(), version));
    }

    Optional<ModelVersion> find(UUID modelId, long version) {
        return jdbc.sql(BY_VERSION)
                .params(modelId, version)
                .query(ModelVersionRepository::row)
                .optional();
    }

    /** Versions after {@code after}, in number order. */
    List<ModelVersion> page(UUID modelId, long after, int limit) {
        return jdbc.sql(PAGE)
                .params(modelId, after, limit)
                .query(ModelVersionRepository::row)
                .list();
    }

    boolean any(UUID modelId) {
        return jdbc.sql(ANY).param(modelId).query(Boolean.class).single();
    }

    void updateComment(RegisteredModel model, long version, String comment, String by, Instant at) {
        if (jdbc.sql(UPDATE_COMMENT)
                        .params(comment, Timestamp.from(at), by, model.id(), version)
                        .update()
                == 0) {
            throw notFound(model.name(), version);
        }
    }

    /** Whether it was pending and is now READY. */
    boolean finalizeVersion(RegisteredModel model, long version, String by, Instant at) {
        return jdbc.sql(FINALIZE)
                        .params(Timestamp.from(at), by, model.id(), version)
                        .update()
                == 1;
    }

    void delete(RegisteredModel model, long version) {
        if (jdbc.sql(DELETE).params(model.id(), version).update() == 0) {
            throw notFound(model.name(), version);
        }
    }

    static ApiException notFound(RegisteredModelName model, long version) {
        return ApiException.notFound(
                ErrorCode.MODEL_VERSION_NOT_FOUND, "Model version not found: " + model + "/" + version + ".");
    }

    private static ModelVersion row(ResultSet rs, int n) throws SQLException {
        return new ModelVersion(
                rs.getObject(1, UUID.class),
                new RegisteredModelName(rs.getString(2), rs.getString(3), rs.getString(4)),
                rs.getLong(5),
                rs.getString(6),
                rs.getString(7),
                ModelVersionStatus.valueOf(rs.getString(8)),
                rs.getString(9),
                rs.getString(10),
                rs.getTimestamp(11).toInstant(),
                rs.getString(12),
                rs.getTimestamp(13).toInstant(),
                rs.getString(14));
    }
}
