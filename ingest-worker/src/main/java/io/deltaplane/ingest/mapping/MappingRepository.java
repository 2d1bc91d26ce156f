package io.deltaplane.ingest.mapping;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Mappings in Postgres ({@code ingest.mappings}); the spec is one JSONB document. */
@Repository
public class MappingRepository {

    static final String INSERT = """
            INSERT INTO mappings (name, spec, paused, version, created_at, updated_at)
            VALUES (:name, CAST(:spec AS jsonb), false, 1, :now, :now)
            ON CONFLICT (name) DO NOTHING
            """;
    static final String REPLACE = """
            UPDATE mappings SET spec = CAST(:spec AS jsonb), version = version + 1, updated_at = :now
            WHERE name = :name
            """;
    static final String SET_PAUSED = """
            UPDATE mappings SET paused = :paused, version = version + 1, updated_at = :now
            WHERE name = :name AND paused <> :paused
            """;
    static final String DELETE = "DELETE FROM mappings WHERE name = :name";
    static final String SELECT = "SELECT name, spec, paused, version, created_at, updated_at FROM mappings";
    static final String SELECT_ONE = SELECT + " WHERE name = :name";
    static final String SELECT_ALL = SELECT + " ORDER BY name";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public MappingRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.json = requireNonNull(json, "json");
    }

    /** False when a mapping with that name already exists. */
    public boolean insert(MappingSpec spec, Instant now) {
        return jdbc.sql(INSERT)
                        .param("name", spec.name())
                        .param("spec", json.writeValueAsString(spec))
                        .param("now", java.sql.Timestamp.from(now))
                        .update()
                == 1;
    }

    public boolean replace(MappingSpec spec, Instant now) {
        return jdbc.sql(REPLACE)
                        .param("name", spec.name())
                        .param("spec", json.writeValueAsString(spec))
                        .param("now", java.sql.Timestamp.from(now))
                        .update()
                == 1;
    }

    public void setPaused(String name, boolean paused, Instant now) {
        jdbc.sql(SET_PAUSED)
                .param("name", name)
                .param("paused", paused)
                .param("now", java.sql.Timestamp.from(now))
                .update();
    }

    public boolean delete(String name) {
        return jdbc.sql(DELETE).param("name", name).update() == 1;
    }

    public Optional<StoredMapping> find(String name) {
        return jdbc.sql(SELECT_ONE).param("name", name).query(this::row).optional();
    }

    public List<StoredMapping> findAll() {
        return jdbc.sql(SELECT_ALL).query(this::row).list();
    }

    private StoredMapping row(ResultSet rs, int rowNum) throws SQLException {
        return new StoredMapping(
                json.readValue(rs.getString("spec"), MappingSpec.class),
                rs.getBoolean("paused"),
                rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
