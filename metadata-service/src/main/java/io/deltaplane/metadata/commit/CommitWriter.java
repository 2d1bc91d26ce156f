package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.delta.CommitActions.DomainMetadata;
import io.deltaplane.metadata.delta.CommitActions.Txn;
import io.deltaplane.metadata.lineage.LineageOutbox;
import io.deltaplane.metadata.publish.PublishQueue;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.table.TableService;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.util.PSQLException;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one table version, every row of it: the compare-and-swap on {@code
 * tables.current_version}, the commit row with its Delta actions (commitInfo first), the file,
 * metadata, protocol, txn and domain rows, then the version's row in each outbox — the {@link
 * PublishQueue} (to {@code _delta_log}) and the {@link LineageOutbox} (to lineage-service). Callers
 * run it inside a Spring-managed transaction, so a failure anywhere leaves nothing behind.
 */
@Component
public class CommitWriter {

    static final String CAS = "UPDATE tables SET current_version = current_version + 1,"
            + " last_committed_at = GREATEST(:now, last_committed_at + interval '1 millisecond'),"
            + " updated_at = :now, partition_columns = COALESCE(CAST(:partitions AS text[]), partition_columns)"
            + " WHERE id = :id AND current_version = :expected"
            + " RETURNING last_committed_at,"
            + " (SELECT num_files FROM commits WHERE table_id = :id AND version = :expected),"
            + " (SELECT size_bytes FROM commits WHERE table_id = :id AND version = :expected)";
    static final String CURRENT_VERSION = "SELECT current_version FROM tables WHERE id = ?";
    // The hot path: find the table and take the version in one statement; the actions are validated
    // afterwards against the returned state, inside the same transaction.
    static final String CAS_BY_NAME = "UPDATE tables SET current_version = current_version + 1,"
            + " last_committed_at = GREATEST(:now, last_committed_at + interval '1 millisecond'), updated_at = :now"
            + " WHERE catalog = :catalog AND schema = :schema AND name = :name AND current_version = :expected"
            + " RETURNING id, location, partition_columns, last_committed_at,"
            + " (SELECT ARRAY[c.num_files, c.size_bytes] FROM commits c"
            + "  WHERE c.table_id = tables.id AND c.version = :expected)";
    static final String CURRENT_VERSION_BY_NAME =
            "SELECT current_version FROM tables WHERE catalog = ? AND schema = ? AND name = ?";
    // The hottest path, one statement: CAS on the cached table state, removes, adds, the commit row
    // (commitInfo gets its in-commit timestamp from the CAS), the publish-queue and lineage-outbox
    // rows: one round trip per commit. Nothing happens when the CAS finds no
    // row (stale cache, conflict, dropped table); the caller then takes the general path.
    static final String FAST_COMMIT = "WITH cas AS ("
            + " UPDATE tables SET current_version = current_version + 1,"
            + " last_committed_at = GREATEST(:now, last_committed_at + interval '1 millisecond'), updated_at = :now"
            + " WHERE id = :id AND current_version = :expected AND partition_columns = CAST(:partitions AS text[])"
            + " RETURNING id, last_committed_at),"
            + " prev AS (SELECT num_files, size_bytes FROM commits WHERE table_id = :id AND version = :expected),"
            + " removed AS (UPDATE files SET removed_version = :version"
            + " WHERE table_id = (SELECT id FROM cas) AND removed_version IS NULL"
            + " AND path = ANY(CAST(:removes AS text[])) RETURNING size),"
            + " added AS (INSERT INTO files (table_id, path, added_version, size, action)"
            + " SELECT cas.id, x.p, :version, x.s, x.a FROM cas,"
            + " unnest(CAST(:paths AS text[]), CAST(:sizes AS bigint[]), CAST(:adds AS text[])) AS x(p, s, a)),"
            + " ins AS (INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
            + " SELECT cas.id, :version, cas.last_committed_at, :operation,"
            + " jsonb_build_array(jsonb_build_object('commitInfo', CAST(:info AS jsonb)"
            + " || jsonb_build_object('timestamp', ms.v, 'inCommitTimestamp', ms.v))) || CAST(:rest AS jsonb),"
            + " prev.num_files + :addCount - (SELECT count(*) FROM removed),"
            + " prev.size_bytes + :addSize - (SELECT COALESCE(sum(size), 0) FROM removed)"
            + " FROM cas, prev,"
            + " LATERAL (SELECT (extract(epoch FROM cas.last_committed_at) * 1000)::bigint AS v) ms"
            + " RETURNING committed_at),"
            // the version's row in each outbox, in the same statement (nothing when the CAS failed)
            + " " + PublishQueue.ENQUEUE_CTES + ","
            + " " + LineageOutbox.ENQUEUE_CTE
            + " SELECT (SELECT committed_at FROM ins), (SELECT count(*) FROM removed)";
    static final String SET_PARTITION_COLUMNS = "UPDATE tables SET partition_columns = CAST(? AS text[]) WHERE id = ?";
    static final String INSERT_TABLE = "INSERT INTO tables (id, catalog, schema, name, location, current_version,"
            + " last_committed_at, partition_columns, comment, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS text[]), ?, ?, ?)";
    static final String REMOVE_FILES = "UPDATE files SET removed_version = ?"
            + " WHERE table_id = ? AND removed_version IS NULL AND path = ANY(CAST(? AS text[])) RETURNING size";
    // Files and the commit row in one round trip (the hot path).
    static final String INSERT_FILES_AND_COMMIT = "WITH added AS ("
            + " INSERT INTO files (table_id, path, added_version, size, action)"
            + " SELECT :id, x.p, :version, x.s, x.a"
            + " FROM unnest(CAST(:paths AS text[]), CAST(:sizes AS bigint[]), CAST(:adds AS text[])) AS x(p, s, a))"
            + " INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
            + " VALUES (:id, :version, :committedAt, :operation, CAST(:actions AS jsonb), :numFiles, :sizeBytes)";
    static final String CURRENT_PROTOCOL =
            "SELECT action::text FROM protocol_versions WHERE table_id = ? ORDER BY version DESC LIMIT 1";
    static final String INSERT_METADATA =
            "INSERT INTO metadata_versions (table_id, version, action) VALUES (?, ?, CAST(? AS jsonb))";
    static final String INSERT_PROTOCOL =
            "INSERT INTO protocol_versions (table_id, version, action) VALUES (?, ?, CAST(? AS jsonb))";
    static final String INSERT_TXN =
            "INSERT INTO app_txns (table_id, app_id, version, txn_version, last_updated)" + " VALUES (?, ?, ?, ?, ?)";
    static final String INSERT_DOMAIN =
            "INSERT INTO domain_metadata (table_id, domain, version, configuration, removed)"
                    + " VALUES (?, ?, ?, ?, ?)";

    /** A version that was written. */
    public record Written(UUID tableId, String fullName, long version, Instant committedAt) {}

    private final JdbcClient jdbc;
    private final PublishQueue publishQueue;
    private final LineageOutbox lineageOutbox;
    private final CommitMetrics metrics;
    private final CommitProperties properties;
    private final JsonMapper json = JsonMapper.builder().build();

    public CommitWriter(
            JdbcClient jdbc,
            PublishQueue publishQueue,
            LineageOutbox lineageOutbox,
            CommitMetrics metrics,
            CommitProperties properties) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.properties = requireNonNull(properties, "properties");
        this.metrics = requireNonNull(metrics, "metrics");
        this.publishQueue = requireNonNull(publishQueue, "publishQueue");
        this.lineageOutbox = requireNonNull(lineageOutbox, "lineageOutbox");
    }

    /** Creates the table row and writes its first version (protocol and metaData required). */
    public Written create(TableRow table, long version, CommitActions actions, String operation, Instant now) {
        if (actions.metadata() == null || actions.protocol() == null) {
            throw invalidAction("the first version of a table needs a protocol and a metaData action");
        }
        try {
            jdbc.sql(INSERT_TABLE)
                    .params(
                            table.id(),
                            table.catalog(),
                            table.schema(),
                            table.name(),
                            table.location(),
                            version,
                            utc(now),
                            partitions(actions.metadata()),
                            table.comment(),
                            utc(now),
                            utc(now))
                    .update();
        } catch (DataIntegrityViolationException e) {
            String constraint = String.valueOf(constraint(e));
            if (constraint.endsWith("_fkey")) {
                throw ApiException.notFound(
                        ErrorCode.SCHEMA_NOT_FOUND,
                        "Schema " + table.catalog() + "." + table.schema() + " does not exist");
            }
            if (constraint.contains("location")) {
                throw ApiException.conflict(
                        ErrorCode.ALREADY_EXISTS, "Another table already uses the location " + table.location());
            }
            if (constraint.equals("tables_pkey")) {
                throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "A table with id " + table.id() + " exists");
            }
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Table " + table.fullName() + " already exists");
        }
        return write(table, version, now, actions, operation, 0, 0);
    }

    /**
     * Appends version {@code expected + 1} to the table {@code catalog.schema.name}, validating the
     * actions against the table state the compare-and-swap returned. Throws 404 TABLE_NOT_FOUND, 409
     * VERSION_CONFLICT, 400 INVALID_ACTION; the caller's transaction then rolls back.
     */
    public Written appendByName(
            String catalog,
            String schema,
            String name,
            long expected,
            List<JsonNode> actions,
            String operation,
            Instant now) {
        String fullName = catalog + "." + schema + "." + name;
        Cached cached = cache.get(fullName);
        if (cached != null && properties.fastPath() && fastPathApplies(actions)) {
            Written written = fastAppend(cached, fullName, expected, actions, operation, now);
            metrics.fastPath(written != null);
            if (written != null) {
                return written;
            }
        }
        var head = jdbc.sql(CAS_BY_NAME)
                .param("now", utc(now))
                .param("catalog", catalog)
                .param("schema", schema)
                .param("name", name)
                .param("expected", expected)
                .query((rs, n) -> {
                    Long[] totals = (Long[]) rs.getArray(5).getArray();
                    TableRow table = new TableRow(
                            rs.getObject(1, UUID.class),
                            catalog,
                            schema,
                            name,
                            rs.getString(2),
                            expected + 1,
                            rs.getObject(4, OffsetDateTime.class).toInstant(),
                            List.of((String[]) rs.getArray(3).getArray()),
                            null,
                            null,
                            null);
                    return new Locked(table, totals[0], totals[1]);
                })
                .optional();
        if (head.isEmpty()) {
            Long current = jdbc.sql(CURRENT_VERSION_BY_NAME)
                    .params(catalog, schema, name)
                    .query(Long.class)
                    .optional()
                    .orElseThrow(() -> MetadataErrors.tableNotFound(fullName));
            throw MetadataErrors.versionConflict(fullName, expected, current);
        }
        Locked locked = head.get();
        TableRow table = locked.table();
        CommitActions parsed = ActionParser.parse(
                actions, new ActionParser.TableState(table.id(), table.location(), table.partitionColumns()));
        List<String> partitionColumns = table.partitionColumns();
        if (parsed.metadata() != null) {
            String[] changed = partitions(parsed.metadata());
            jdbc.sql(SET_PARTITION_COLUMNS).params(changed, table.id()).update();
            partitionColumns = List.of(changed);
        }
        // Remembered for the fast path; the fast path's CAS re-checks it, so a stale entry only
        // costs a fallback to this path.
        cache.put(fullName, new Cached(table.id(), table.location(), partitionColumns));
        checkProtocol(table.id(), parsed);
        return write(
                table, expected + 1, table.lastCommittedAt(), parsed, operation, locked.numFiles(), locked.sizeBytes());
    }

    private record Locked(TableRow table, long numFiles, long sizeBytes) {}

    /** What the fast path needs to validate a commit without reading the table first. */
    private record Cached(UUID id, String location, List<String> partitionColumns) {}

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @EventListener
    public void onDropped(TableService.TableDropped event) {
        cache.remove(event.fullName());
    }

    /** metaData and protocol commits take the general path (they change what validation uses). */
    private static boolean fastPathApplies(List<JsonNode> actions) {
        if (actions == null) {
            return false;
        }
        for (JsonNode action : actions) {
            if (action == null || action.has("metaData") || action.has("protocol")) {
                return false;
            }
        }
        return true;
    }

    /** The one-statement commit, or null when the general path must decide. */
    private Written fastAppend(
            Cached cached, String fullName, long expected, List<JsonNode> actions, String operation, Instant now) {
        CommitActions parsed;
        try {
            parsed = ActionParser.parse(
                    actions, new ActionParser.TableState(cached.id(), cached.location(), cached.partitionColumns()));
        } catch (ApiException e) {
            return null; // judged against possibly stale state: let the general path give the answer
        }
        for (CommitActions.RemoveFile remove : parsed.removes()) {
            if (remove.dataChange()) {
                return null; // delta.appendOnly is checked on the general path
            }
        }
        String[] removes = parsed.removes().stream().map(r -> r.path()).toArray(String[]::new);
        for (AddFile add : parsed.adds()) {
            for (String removed : removes) {
                if (removed.equals(add.path())) {
                    return null; // replacing a file needs the remove to land before the add
                }
            }
        }
        List<AddFile> adds = parsed.adds();
        String[] paths = new String[adds.size()];
        long[] sizes = new long[adds.size()];
        String[] addJson = new String[adds.size()];
        long addSize = 0;
        for (int i = 0; i < adds.size(); i++) {
            paths[i] = adds.get(i).path();
            sizes[i] = adds.get(i).size();
            addJson[i] = adds.get(i).json();
            addSize += sizes[i];
        }
        String op = operation(operation, parsed.commitInfo());
        long version = expected + 1;
        record Result(OffsetDateTime committedAt, long removed) {}
        Result result;
        try {
            result = jdbc.sql(FAST_COMMIT)
                    .param("now", utc(now))
                    .param("id", cached.id())
                    .param("expected", expected)
                    .param("partitions", cached.partitionColumns().toArray(String[]::new))
                    .param("version", version)
                    .param("removes", removes)
                    .param("paths", paths)
                    .param("sizes", sizes)
                    .param("adds", addJson)
                    .param("operation", op)
                    .param("info", commitInfo(parsed.commitInfo(), op).toString())
                    .param("rest", restJson(parsed))
                    .param("addCount", (long) adds.size())
                    .param("addSize", addSize)
                    .param("fullName", fullName)
                    .param("location", cached.location())
                    .param(LineageOutbox.REQUEST_PARAM, LineageOutbox.request(), Types.VARCHAR)
                    .param(LineageOutbox.NOW_PARAM, lineageOutbox.now())
                    .query((rs, n) -> new Result(rs.getObject(1, OffsetDateTime.class), rs.getLong(2)))
                    .single();
        } catch (DataIntegrityViolationException e) {
            if ("files_live_path".equals(constraint(e))) {
                throw invalidAction("an add names a path that is already active; remove it in the same commit first");
            }
            throw e;
        }
        if (result.committedAt() == null) {
            return null; // nothing was written
        }
        if (result.removed() != removes.length) {
            throw invalidAction("a remove names a file that is not active in version " + expected);
        }
        writeTxnsAndDomains(cached.id(), version, parsed);
        Instant committedAt = result.committedAt().toInstant();
        // the outbox rows were written by the statement; what remains is their after-commit nudge
        publishQueue.enqueuedInStatement();
        lineageOutbox.enqueuedInStatement();
        afterCommit(cached.id(), fullName, version);
        return new Written(cached.id(), fullName, version, committedAt);
    }

    /** The version's row in each outbox, in the commit's transaction; the metrics once it commits. */
    private void enqueue(VersionCommitted version) {
        publishQueue.enqueue(version);
        lineageOutbox.enqueue(version);
        afterCommit(version.tableId(), version.fullName(), version.version());
    }

    private void afterCommit(UUID tableId, String fullName, long version) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                metrics.committed(tableId, fullName, version);
            }
        });
    }

    static final String APPEND_ONLY = "SELECT action -> 'configuration' ->> 'delta.appendOnly' FROM metadata_versions"
            + " WHERE table_id = ? ORDER BY version DESC LIMIT 1";

    /**
     * Rules that need the stored state: partition columns change only on a table with no live file
     * left (a reader would read old files with the new partitioning), and an append-only table
     * ({@code delta.appendOnly=true}) takes no remove that changes data.
     */
    private void checkIntegrity(TableRow table, CommitActions actions, long previousFiles) {
        if (actions.metadata() != null && previousFiles > actions.removes().size()) {
            List<String> next = List.of(partitions(actions.metadata()));
            if (!next.equals(table.partitionColumns())) {
                throw invalidAction("metaData changes the partition columns from " + table.partitionColumns() + " to "
                        + next + " while the table has live files; remove them in the same commit or create a new"
                        + " table");
            }
        }
        if (actions.removes().stream().anyMatch(CommitActions.RemoveFile::dataChange)) {
            String appendOnly = actions.metadata() != null
                    ? actions.metadata()
                            .path("configuration")
                            .path("delta.appendOnly")
                            .asString(null)
                    : jdbc.sql(APPEND_ONLY)
                            .param(table.id())
                            .query(String.class)
                            .optional()
                            .orElse(null);
            if ("true".equalsIgnoreCase(appendOnly)) {
                throw invalidAction("the table is append-only (delta.appendOnly=true): a remove with dataChange"
                        + " true is not allowed");
            }
        }
    }

    private void checkProtocol(UUID tableId, CommitActions actions) {
        if (actions.protocol() != null) {
            JsonNode current = json.readTree(jdbc.sql(CURRENT_PROTOCOL)
                    .param(tableId)
                    .query(String.class)
                    .single());
            ActionParser.checkNoDowngrade(actions.protocol(), current);
        }
    }

    /**
     * Appends version {@code expected + 1}. Throws 409 VERSION_CONFLICT when the table is no longer
     * at {@code expected}, 400 INVALID_ACTION when the actions do not apply to the stored state.
     */
    public Written append(TableRow table, long expected, CommitActions actions, String operation, Instant now) {
        var head = jdbc.sql(CAS)
                .param("now", utc(now))
                .param("partitions", actions.metadata() == null ? null : partitions(actions.metadata()))
                .param("id", table.id())
                .param("expected", expected)
                .query((rs, n) ->
                        new Head(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getLong(3)))
                .optional();
        if (head.isEmpty()) {
            Long current = jdbc.sql(CURRENT_VERSION)
                    .param(table.id())
                    .query(Long.class)
                    .optional()
                    .orElseThrow(() -> MetadataErrors.tableNotFound(table.fullName()));
            throw MetadataErrors.versionConflict(table.fullName(), expected, current);
        }
        checkProtocol(table.id(), actions);
        Head h = head.get();
        return write(table, expected + 1, h.committedAt(), actions, operation, h.numFiles(), h.sizeBytes());
    }

    private record Head(Instant committedAt, long numFiles, long sizeBytes) {}

    private Written write(
            TableRow table,
            long version,
            Instant committedAt,
            CommitActions actions,
            String operation,
            long previousFiles,
            long previousSize) {
        UUID id = table.id();
        long numFiles = previousFiles;
        long sizeBytes = previousSize;
        checkIntegrity(table, actions, previousFiles);
        if (!actions.removes().isEmpty()) {
            String[] paths = actions.removes().stream().map(r -> r.path()).toArray(String[]::new);
            List<Long> sizes = jdbc.sql(REMOVE_FILES)
                    .params(version, id, paths)
                    .query(Long.class)
                    .list();
            if (sizes.size() != paths.length) {
                throw invalidAction("a remove names a file that is not active in version " + (version - 1));
            }
            numFiles -= sizes.size();
            sizeBytes -= sizes.stream().mapToLong(Long::longValue).sum();
        }
        List<AddFile> adds = actions.adds();
        String[] paths = new String[adds.size()];
        long[] sizes = new long[adds.size()];
        String[] addJson = new String[adds.size()];
        for (int i = 0; i < adds.size(); i++) {
            AddFile add = adds.get(i);
            paths[i] = add.path();
            sizes[i] = add.size();
            addJson[i] = add.json();
            sizeBytes += add.size();
        }
        numFiles += adds.size();
        String op = operation(operation, actions.commitInfo());
        try {
            jdbc.sql(INSERT_FILES_AND_COMMIT)
                    .param("id", id)
                    .param("version", version)
                    .param("paths", paths)
                    .param("sizes", sizes)
                    .param("adds", addJson)
                    .param("committedAt", utc(committedAt))
                    .param("operation", op)
                    .param("actions", actionsJson(actions, committedAt, op))
                    .param("numFiles", numFiles)
                    .param("sizeBytes", sizeBytes)
                    .update();
        } catch (DataIntegrityViolationException e) {
            String constraint = constraint(e);
            if ("files_live_path".equals(constraint)) {
                throw invalidAction("an add names a path that is already active; remove it in the same commit first");
            }
            if ("commits_pkey".equals(constraint)) {
                throw MetadataErrors.versionConflict(table.fullName(), version - 1, version);
            }
            throw e;
        }
        if (actions.metadata() != null) {
            jdbc.sql(INSERT_METADATA)
                    .params(id, version, actions.metadata().toString())
                    .update();
        }
        if (actions.protocol() != null) {
            jdbc.sql(INSERT_PROTOCOL)
                    .params(id, version, actions.protocol().json().toString())
                    .update();
        }
        writeTxnsAndDomains(id, version, actions);
        enqueue(new VersionCommitted(id, table.fullName(), table.location(), version, committedAt));
        return new Written(id, table.fullName(), version, committedAt);
    }

    private void writeTxnsAndDomains(UUID id, long version, CommitActions actions) {
        for (Txn txn : actions.txns()) {
            jdbc.sql(INSERT_TXN)
                    .params(id, txn.appId(), version, txn.version(), txn.lastUpdated())
                    .update();
        }
        for (DomainMetadata domain : actions.domains()) {
            jdbc.sql(INSERT_DOMAIN)
                    .params(id, domain.domain(), version, domain.configuration(), domain.removed())
                    .update();
        }
    }

    private static String operation(String requested, ObjectNode commitInfo) {
        if (requested != null && !requested.isBlank()) {
            return requested;
        }
        JsonNode given = commitInfo == null ? null : commitInfo.get("operation");
        return given != null && given.isString() ? given.stringValue() : "WRITE";
    }

    /** The version's actions as a JSON array: commitInfo (with inCommitTimestamp) first. */
    private static String actionsJson(CommitActions actions, Instant committedAt, String operation) {
        ObjectNode info = commitInfo(actions.commitInfo(), operation);
        long millis = committedAt.toEpochMilli();
        info.put("timestamp", millis);
        info.put("inCommitTimestamp", millis);
        StringBuilder out = new StringBuilder(256 + actions.actions().size() * 256);
        out.append("[{\"commitInfo\":").append(info).append('}');
        for (String action : actions.actions()) {
            out.append(',').append(action);
        }
        return out.append(']').toString();
    }

    /** The client's commitInfo (if any) with our operation and engine; timestamps are added later. */
    private static ObjectNode commitInfo(ObjectNode given, String operation) {
        ObjectNode info = given == null ? JsonNodeFactory.instance.objectNode() : given.deepCopy();
        info.put("operation", operation);
        if (!info.has("engineInfo")) {
            info.put("engineInfo", "Deltaplane");
        }
        return info;
    }

    /** Every action but commitInfo, as a JSON array. */
    private static String restJson(CommitActions actions) {
        StringBuilder out = new StringBuilder(16 + actions.actions().size() * 256).append('[');
        for (int i = 0; i < actions.actions().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(actions.actions().get(i));
        }
        return out.append(']').toString();
    }

    private static String[] partitions(ObjectNode metadata) {
        return ActionParser.stringList(metadata.get("partitionColumns"), "metaData.partitionColumns")
                .toArray(String[]::new);
    }

    static OffsetDateTime utc(Instant instant) {
        // Millisecond precision: committed_at is then exactly the version's inCommitTimestamp, so
        // timestampAsOf(committed_at) lands on the version itself.
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC);
    }

    static String constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }
}
