package io.deltaplane.lineage.dataset;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

/** The tables lineage knows about (any table a snapshot was registered or read for). */
@Repository
public class TableRepository {

    static final String FIND_EXACT = "SELECT id FROM tracked_tables WHERE namespace = :namespace AND name = :name";
    static final String INSERT = "INSERT INTO tracked_tables (name, namespace, created_at)"
            + " VALUES (:name, :namespace, :now) ON CONFLICT (namespace, name) DO NOTHING RETURNING id";

    static final String FIND_IDS = "SELECT id, name FROM tracked_tables"
            + " WHERE namespace = :namespace AND name = ANY(CAST(:names AS text[]))";
    static final String INSERT_ALL = "INSERT INTO tracked_tables (name, namespace, created_at)"
            + " SELECT n, :namespace, :now FROM unnest(CAST(:names AS text[])) AS n ORDER BY n"
            + " ON CONFLICT (namespace, name) DO NOTHING RETURNING id, name";

    private final JdbcClient jdbc;

    public TableRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** The dataset a reference ({@code name} or {@code namespace::name}, see {@link DatasetRef}) names. */
    public Optional<Long> findId(String ref) {
        DatasetRef parsed = DatasetRef.parse(ref);
        return jdbc.sql(DatasetRef.RESOLVE_ID)
                .param("namespace", parsed.namespace())
                .param("name", parsed.name())
                .query(Long.class)
                .optional();
    }

    private Optional<Long> findExact(String name, String namespace) {
        return jdbc.sql(FIND_EXACT)
                .param("namespace", namespace)
                .param("name", name)
                .query(Long.class)
                .optional();
    }

    /** The ids of many tables by name, registering those not known yet. */
    public Map<String, Long> upsertAll(Collection<String> names, String namespace, Instant now) {
        Map<String, Long> ids = findIds(names, namespace);
        List<String> missing =
                names.stream().filter(name -> !ids.containsKey(name)).distinct().toList();
        if (!missing.isEmpty()) {
            jdbc.sql(INSERT_ALL)
                    .param("names", new SqlArrayValue("text", missing.toArray()))
                    .param("namespace", namespace)
                    .param("now", Times.utc(now))
                    .query(rs -> {
                        ids.put(rs.getString("name"), rs.getLong("id"));
                    });
            if (!ids.keySet().containsAll(missing)) {
                // Another request registered some of them meanwhile.
                ids.putAll(findIds(missing, namespace));
            }
        }
        return ids;
    }

    private Map<String, Long> findIds(Collection<String> names, String namespace) {
        Map<String, Long> ids = new HashMap<>();
        jdbc.sql(FIND_IDS)
                .param("names", new SqlArrayValue("text", names.toArray()))
                .param("namespace", namespace)
                .query(rs -> {
                    ids.put(rs.getString("name"), rs.getLong("id"));
                });
        return ids;
    }

    /** The table's id, registering the table on first use. */
    public long upsert(String name, String namespace, Instant now) {
        Optional<Long> existing = findExact(name, namespace);
        if (existing.isPresent()) {
            return existing.get();
        }
        return jdbc.sql(INSERT)
                .param("name", name)
                .param("namespace", namespace)
                .param("now", Times.utc(now))
                .query(Long.class)
                .optional()
                .or(() -> findExact(name, namespace))
                .orElseThrow();
    }
}
