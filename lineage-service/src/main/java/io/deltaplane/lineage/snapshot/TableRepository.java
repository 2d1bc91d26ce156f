package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The tables lineage knows about (any table a snapshot was registered or read for). */
@Repository
public class TableRepository {

    static final String FIND_ID = "SELECT id FROM tracked_tables WHERE name = :name";
    static final String INSERT = "INSERT INTO tracked_tables (name, namespace, created_at)"
            + " VALUES (:name, :namespace, :now) ON CONFLICT (name) DO NOTHING RETURNING id";

    private final JdbcClient jdbc;

    public TableRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public Optional<Long> findId(String name) {
        return jdbc.sql(FIND_ID).param("name", name).query(Long.class).optional();
    }

    /** The table's id, registering the table on first use. */
    public long upsert(String name, String namespace, Instant now) {
        Optional<Long> existing = findId(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        return jdbc.sql(INSERT)
                .param("name", name)
                .param("namespace", namespace)
                .param("now", Times.utc(now))
                .query(Long.class)
                .optional()
                .or(() -> findId(name))
                .orElseThrow();
    }
}
