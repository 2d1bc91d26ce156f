package io.deltaplane.metadata.volumes;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.SchemaName;
import io.deltaplane.metadata.names.VolumeName;
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

/** The one writer of {@code volumes}. */
@Repository
class VolumeRepository {

    // The owner (platform.owners) comes with the row: a page of volumes is one statement.
    static final String COLUMNS = "SELECT v.id, v.catalog, v.schema, v.name, v.volume_type, v.storage_location,"
            + " v.comment, (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'volume'"
            + " AND o.securable_name = v.catalog || '.' || v.schema || '.' || v.name),"
            + " v.created_at, v.created_by, v.updated_at, v.updated_by FROM volumes v";
    static final String BY_NAME = COLUMNS + " WHERE v.catalog = ? AND v.schema = ? AND v.name = ?";
    static final String BY_ID = COLUMNS + " WHERE v.id = ?";
    static final String PAGE = COLUMNS + " WHERE v.catalog = ? AND v.schema = ? AND v.name > ?"
            + " AND (CAST(? AS text[]) IS NULL OR v.name = ANY(CAST(? AS text[]))) ORDER BY v.name LIMIT ?";
    static final String MANAGED_IN = "SELECT id, catalog || '.' || schema || '.' || name, storage_location"
            + " FROM volumes WHERE volume_type = 'MANAGED' AND catalog = ? AND (CAST(? AS text) IS NULL OR schema = ?)";
    static final String INSERT = """
            INSERT INTO volumes (id, catalog, schema, name, volume_type, storage_location, comment,
                                 created_at, created_by, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String UPDATE = """
            UPDATE volumes SET name = ?, comment = ?, updated_at = ?, updated_by = ?
            WHERE catalog = ? AND schema = ? AND name = ?""";
    static final String DELETE = "DELETE FROM volumes WHERE catalog = ? AND schema = ? AND name = ? RETURNING id";

    /** A managed volume's directory, as a drop of its schema or catalog finds it. */
    record ManagedDirectory(UUID id, String fullName, String location) {}

    private final JdbcClient jdbc;

    VolumeRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void insert(UUID id, VolumeName name, VolumeType type, String location, String comment, String by, Instant at) {
        Timestamp now = Timestamp.from(at);
        try {
            jdbc.sql(INSERT)
                    .params(
                            id,
                            name.catalog(),
                            name.schema(),
                            name.name(),
                            type.name(),
                            location,
                            comment,
                            now,
                            by,
                            now,
                            by)
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Volume already exists: " + name + ".");
        }
    }

    Volume require(VolumeName name) {
        return find(name).orElseThrow(() -> notFound(name.toString()));
    }

    Optional<Volume> find(VolumeName name) {
        return jdbc.sql(BY_NAME)
                .params(name.catalog(), name.schema(), name.name())
                .query(VolumeRepository::row)
                .optional();
    }

    Optional<Volume> byId(UUID id) {
        return jdbc.sql(BY_ID).param(id).query(VolumeRepository::row).optional();
    }

    /** Names after {@code after} in name order, only {@code only} when not null. */
    List<Volume> page(SchemaName schema, String after, String[] only, int limit) {
        return jdbc.sql(PAGE)
                .params(schema.catalog(), schema.name(), after, only, only, limit)
                .query(VolumeRepository::row)
                .list();
    }

    /** The managed volumes of a catalog, or of one of its schemas ({@code schema} not null). */
    List<ManagedDirectory> managedIn(String catalog, String schema) {
        return jdbc.sql(MANAGED_IN)
                .params(catalog, schema, schema)
                .query((rs, n) -> new ManagedDirectory(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
                .list();
    }

    /** Name and comment as given; 409 when the new name is taken. */
    void update(VolumeName name, String newName, String comment, String by, Instant at) {
        int updated;
        try {
            updated = jdbc.sql(UPDATE)
                    .params(newName, comment, Timestamp.from(at), by, name.catalog(), name.schema(), name.name())
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS, "Volume already exists: " + name.renamed(newName) + ".");
        }
        if (updated == 0) {
            throw notFound(name.toString());
        }
    }

    /** The dropped volume's id; 404 when there is none of that name. */
    UUID delete(VolumeName name) {
        return jdbc.sql(DELETE)
                .params(name.catalog(), name.schema(), name.name())
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> notFound(name.toString()));
    }

    static ApiException notFound(String name) {
        return ApiException.notFound(ErrorCode.VOLUME_NOT_FOUND, "Volume not found: " + name + ".");
    }

    private static Volume row(ResultSet rs, int n) throws SQLException {
        return new Volume(
                rs.getObject(1, UUID.class),
                new VolumeName(rs.getString(2), rs.getString(3), rs.getString(4)),
                VolumeType.valueOf(rs.getString(5)),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getTimestamp(9).toInstant(),
                rs.getString(10),
                rs.getTimestamp(11).toInstant(),
                rs.getString(12));
    }
}
