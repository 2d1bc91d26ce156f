package io.deltaplane.metadata.locations;

import static java.util.Objects.requireNonNull;

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

/** The one writer of {@code external_locations}. */
@Repository
class ExternalLocationRepository {

    // The credential's name comes with the row (a rename of the credential is seen at once).
    static final String COLUMNS = "SELECT e.id, e.name, e.url, e.comment, e.created_at, e.created_by, e.updated_at,"
            + " (SELECT c.name FROM storage_credentials c WHERE c.id = e.credential_id), e.credential_id"
            + " FROM external_locations e";
    static final String INSERT = """
            INSERT INTO external_locations (id, name, url, credential_id, comment, created_at, created_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    static final String BY_NAME = COLUMNS + " WHERE e.name = ?";
    static final String PAGE = COLUMNS + " WHERE e.name > ?"
            + " AND (CAST(? AS text[]) IS NULL OR e.name = ANY(CAST(? AS text[]))) ORDER BY e.name LIMIT ?";
    /** A location that equals, contains or lies inside {@code url}. */
    static final String OVERLAPPING = """
            SELECT name FROM external_locations
            WHERE url = :url OR starts_with(url, :url || '/') OR starts_with(:url, url || '/')
            LIMIT 1""";

    static final String UPDATE_COMMENT = "UPDATE external_locations SET comment = ?, updated_at = ? WHERE name = ?";
    static final String UPDATE_CREDENTIAL =
            "UPDATE external_locations SET credential_id = ?, updated_at = ? WHERE name = ?";
    static final String DELETE = "DELETE FROM external_locations WHERE name = ?";

    private final JdbcClient jdbc;

    ExternalLocationRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    void insert(ExternalLocation location) {
        try {
            jdbc.sql(INSERT)
                    .params(
                            location.id(),
                            location.name(),
                            location.url(),
                            location.credentialId(),
                            location.comment(),
                            Timestamp.from(location.createdAt()),
                            location.createdBy())
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS,
                    "External location " + location.name() + " (or one at " + location.url() + ") already exists.");
        }
    }

    ExternalLocation require(String name) {
        return jdbc.sql(BY_NAME)
                .param(name)
                .query(this::row)
                .optional()
                .orElseThrow(() ->
                        ApiException.notFound(ErrorCode.NOT_FOUND, "External location " + name + " does not exist."));
    }

    /** Names after {@code after}, only {@code only} when not null. */
    List<ExternalLocation> page(String after, String[] only, int limit) {
        return jdbc.sql(PAGE).params(after, only, only, limit).query(this::row).list();
    }

    Optional<String> overlapping(String url) {
        return jdbc.sql(OVERLAPPING).param("url", url).query(String.class).optional();
    }

    void comment(String name, String comment, Instant at) {
        if (jdbc.sql(UPDATE_COMMENT).params(comment, Timestamp.from(at), name).update() == 0) {
            require(name);
        }
    }

    void credential(String name, UUID credentialId, Instant at) {
        if (jdbc.sql(UPDATE_CREDENTIAL)
                        .params(credentialId, Timestamp.from(at), name)
                        .update()
                == 0) {
            require(name);
        }
    }

    boolean delete(String name) {
        return jdbc.sql(DELETE).param(name).update() == 1;
    }

    private ExternalLocation row(ResultSet rs, int n) throws SQLException {
        Timestamp updated = rs.getTimestamp(7);
        return new ExternalLocation(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(8),
                rs.getObject(9, UUID.class),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                rs.getString(6),
                updated == null ? null : updated.toInstant());
    }
}
