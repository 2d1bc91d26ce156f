package io.deltaplane.lineage.dataset;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
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

    // Finds the datasets of a batch of OpenLineage events and registers those missing, in one
    // statement; for each known dataset the batch reads, its latest snapshot as
    // SnapshotRepository.LATEST orders them (one index probe each).
    static final String UPSERT_WITH_LATEST = "WITH want AS (SELECT * FROM unnest(CAST(:namespaces AS text[]),"
            + " CAST(:names AS text[]), CAST(:reads AS boolean[])) AS u(namespace, name, read)), found AS ("
            + "SELECT t.id, t.namespace, t.name, w.read FROM tracked_tables t JOIN want w ON t.namespace ="
            + " w.namespace AND t.name = w.name), added AS (INSERT INTO tracked_tables (name, namespace,"
            + " created_at) SELECT w.name, w.namespace, :now FROM want w WHERE NOT EXISTS (SELECT 1 FROM found f"
            + " WHERE f.namespace = w.namespace AND f.name = w.name) ORDER BY w.namespace, w.name"
            + " ON CONFLICT (namespace, name) DO NOTHING RETURNING id, namespace, name)"
            + " SELECT f.id, f.namespace, f.name, l.id AS latest, l.versioned, l.created_at FROM found f"
            + " LEFT JOIN LATERAL (SELECT s.id, s.version IS NOT NULL AS versioned, s.created_at FROM snapshots s"
            + " WHERE f.read AND s.table_id = f.id AND (s.version IS NULL OR s.uri = " + currentLocation("f.id")
            + ") ORDER BY s.version IS NULL, s.version DESC, s.created_at DESC,"
            + " s.id DESC LIMIT 1) l ON true UNION ALL SELECT a.id, a.namespace, a.name, NULL, NULL, NULL"
            + " FROM added a";

    /**
     * SQL for the location of the table {@code tableId} (an SQL expression) now: that of the version
     * lineage heard of last. A table dropped and made again under its name elsewhere (or adopted
     * again where it was before) has versions at both locations; its latest snapshot is among the
     * current location's. Null when the table has no version.
     */
    public static String currentLocation(String tableId) {
        return "(SELECT c.uri FROM snapshots c WHERE c.table_id = " + tableId
                + " AND c.version IS NOT NULL ORDER BY c.id DESC LIMIT 1)";
    }

    /** A dataset a batch names; {@code read}: the batch reads it, so its latest snapshot is wanted. */
    public record Wanted(String namespace, String name, boolean read) {}

    /** A table's latest snapshot: its id, whether it has a version, when it was recorded. */
    public record Latest(long id, boolean versioned, Instant createdAt) {}

    /** A dataset's id, and (for one read) its latest snapshot, null when none or not asked. */
    public record Tracked(long id, String namespace, String name, Latest latest) {}

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

    /**
     * The datasets of {@code wanted}, registering those not known yet, in one statement. Twice at
     * most: a dataset another request was registering meanwhile is found the second time; one still
     * missing then is absent from the answer.
     */
    public List<Tracked> upsertWithLatest(List<Wanted> wanted, Instant now) {
        Map<List<String>, Tracked> found = new LinkedHashMap<>();
        for (int attempt = 0; attempt < 2 && found.size() < wanted.size(); attempt++) {
            jdbc.sql(UPSERT_WITH_LATEST)
                    .param(
                            "namespaces",
                            new SqlArrayValue(
                                    "text",
                                    wanted.stream().map(Wanted::namespace).toArray()))
                    .param(
                            "names",
                            new SqlArrayValue(
                                    "text", wanted.stream().map(Wanted::name).toArray()))
                    .param(
                            "reads",
                            new SqlArrayValue(
                                    "boolean", wanted.stream().map(Wanted::read).toArray()))
                    .param("now", Times.utc(now))
                    .query((RowCallbackHandler) rs -> {
                        long snapshot = rs.getLong("latest");
                        Latest latest = rs.wasNull()
                                ? null
                                : new Latest(
                                        snapshot,
                                        rs.getBoolean("versioned"),
                                        rs.getObject("created_at", OffsetDateTime.class)
                                                .toInstant());
                        Tracked table =
                                new Tracked(rs.getLong("id"), rs.getString("namespace"), rs.getString("name"), latest);
                        found.put(List.of(table.namespace(), table.name()), table);
                    });
        }
        return new ArrayList<>(found.values());
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
