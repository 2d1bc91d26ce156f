package io.deltaplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.CommitHistory.Operation;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Judges a run's {@link CommitHistory} against what Postgres holds and what was published: every
 * acknowledged commit once at the version it was told, nothing refused present, no file in two
 * versions, versions contiguous, and (when asked) the published {@code _delta_log} as an independent
 * reader (Delta Kernel, {@link DeltaLogVersions}) sees it: at every version, the files it adds and
 * removes are the ones Postgres records as added and removed at that version ({@link #check}); or,
 * with {@link #checkEveryAction}, every action of every version with every field Kernel reads of it
 * is the one Postgres recorded ({@link #logMismatches}).
 */
public final class CommitChecker {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Every action of every version 0..{@code newest} of the table published at {@code location},
     * as an independent reader sees its {@code _delta_log} (index {@code v} is version {@code v}).
     */
    @FunctionalInterface
    public interface PublishedActions {
        List<DeltaLogVersions.Version> versions(String location, long newest) throws IOException;
    }

    /** How a table's published log is judged against Postgres: one line per version that differs. */
    @FunctionalInterface
    private interface LogOracle {
        List<String> mismatches(Connection c, String table, String location, long newest)
                throws SQLException, IOException;
    }

    /**
     * What every version 0..{@code newest} of the table published at {@code location} adds and
     * removes, as an independent reader sees its {@code _delta_log} (index {@code v} is version {@code v}).
     */
    @FunctionalInterface
    public interface PublishedVersions {
        List<DeltaLogVersions.Changes> changes(String location, long newest) throws IOException;
    }

    /** What the checker found; every list empty on a good run. */
    public record Check(
            List<String> lost,
            List<String> duplicated,
            List<String> refusedButPresent,
            List<String> gaps,
            List<String> logMismatches,
            long indeterminatePresent,
            long logVersionsRead) {

        /** One line of figures: what the callers were told, and what the checker found. */
        public String summary(CommitHistory history) {
            return String.format(
                    java.util.Locale.ROOT,
                    "%d operations: %d acknowledged, %d refused (409), %d indeterminate (%d of them took effect),"
                            + " %d server errors; lost %d, duplicated %d, refused-but-present %d, version gaps %d,"
                            + " _delta_log: %d versions read, %d mismatches",
                    history.operations().size(),
                    history.count(CommitHistory.Outcome.ACKNOWLEDGED),
                    history.count(CommitHistory.Outcome.REFUSED),
                    history.count(CommitHistory.Outcome.INDETERMINATE),
                    indeterminatePresent,
                    history.count(CommitHistory.Outcome.SERVER_ERROR),
                    lost.size(),
                    duplicated.size(),
                    refusedButPresent.size(),
                    gaps.size(),
                    logVersionsRead,
                    logMismatches.size());
        }

        /**
         * Asserts a good run of {@code history}: nothing lost, duplicated, refused-but-there, no gap,
         * no log mismatch, no server error, and some commits acknowledged.
         */
        public void assertNothingLost(CommitHistory history) {
            assertThat(history.operations().stream()
                            .filter(o -> o.outcome() == CommitHistory.Outcome.SERVER_ERROR)
                            .map(o -> o.status() + " " + o.answer()))
                    .as("answers other than 201, 4xx or 503")
                    .isEmpty();
            assertThat(lost)
                    .as("acknowledged commits missing or at another version")
                    .isEmpty();
            assertThat(duplicated).as("paths in more than one version").isEmpty();
            assertThat(refusedButPresent)
                    .as("commits refused with a 4xx that are there")
                    .isEmpty();
            assertThat(gaps).as("tables whose versions are not contiguous").isEmpty();
            assertThat(logMismatches)
                    .as("versions whose published _delta_log a reader sees differently from Postgres")
                    .isEmpty();
            assertThat(history.count(CommitHistory.Outcome.ACKNOWLEDGED))
                    .as("commits acknowledged")
                    .isPositive();
        }
    }

    private static final String ADDED_AT = "SELECT f.added_version FROM metadata.files f"
            + " JOIN metadata.tables t ON t.id = f.table_id"
            + " WHERE t.catalog || '.' || t.schema || '.' || t.name = ? AND f.path = ?";
    private static final String VERSIONS = "SELECT c.version FROM metadata.commits c"
            + " JOIN metadata.tables t ON t.id = c.table_id"
            + " WHERE t.catalog || '.' || t.schema || '.' || t.name = ? ORDER BY c.version";
    private static final String FILES = "SELECT f.path, f.added_version, f.removed_version FROM metadata.files f"
            + " JOIN metadata.tables t ON t.id = f.table_id"
            + " WHERE t.catalog || '.' || t.schema || '.' || t.name = ?";
    private static final String LOCATION =
            "SELECT location FROM metadata.tables t WHERE t.catalog || '.' || t.schema || '.' || t.name = ?";

    private CommitChecker() {}

    /**
     * Checks every operation of {@code history}, and each table's versions up to {@code current};
     * with {@code published}, also every version of each table's published log.
     */
    public static Check check(
            TestDatabase db, CommitHistory history, Map<String, Long> current, PublishedVersions published)
            throws SQLException, IOException {
        return check(
                db,
                history,
                current,
                published == null
                        ? null
                        : (c, table, location, newest) -> {
                            List<String> mismatches = new ArrayList<>();
                            List<DeltaLogVersions.Changes> read = published.changes(location, newest);
                            List<DeltaLogVersions.Changes> held = changes(c, table, newest);
                            for (int v = 0; v <= newest; v++) {
                                if (!read.get(v).equals(held.get(v))) {
                                    mismatches.add(table + "@" + v + ": the log adds "
                                            + read.get(v).added().size()
                                            + " and removes "
                                            + read.get(v).removed().size() + " files, Postgres "
                                            + held.get(v).added().size() + " and "
                                            + held.get(v).removed().size());
                                }
                            }
                            return mismatches;
                        });
    }

    /**
     * {@link #check}, the published log judged action by action: for every version of each table,
     * every action an independent reader reads from its {@code _delta_log}, with every field it
     * reads, must be the one Postgres recorded ({@link #logMismatches}).
     */
    public static Check checkEveryAction(
            TestDatabase db, CommitHistory history, Map<String, Long> current, PublishedActions published)
            throws SQLException, IOException {
        return check(
                db,
                history,
                current,
                (c, table, location, newest) -> logMismatches(c, table, published.versions(location, newest)));
    }

    private static Check check(TestDatabase db, CommitHistory history, Map<String, Long> current, LogOracle oracle)
            throws SQLException, IOException {
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        List<String> refusedButPresent = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        long indeterminatePresent = 0;
        long logVersionsRead = 0;
        try (Connection c = db.connect()) {
            for (Operation op : history.operations()) {
                for (var entry : op.paths().entrySet()) {
                    List<Long> at = longs(c, ADDED_AT, entry.getKey(), entry.getValue());
                    if (at.size() > 1) {
                        duplicated.add(entry + " at " + at);
                    }
                    switch (op.outcome()) {
                        case ACKNOWLEDGED -> {
                            Long told = op.versions().get(entry.getKey());
                            if (at.size() != 1 || !at.get(0).equals(told)) {
                                lost.add(entry + " told version " + told + ", found at " + at);
                            }
                        }
                        case REFUSED -> {
                            if (!at.isEmpty()) {
                                refusedButPresent.add(entry + " (" + op.status() + ") at " + at);
                            }
                        }
                        case INDETERMINATE -> indeterminatePresent += at.isEmpty() ? 0 : 1;
                        case SERVER_ERROR -> {}
                    }
                }
            }
            for (var table : current.entrySet()) {
                List<Long> versions = longs(c, VERSIONS, table.getKey(), null);
                for (int v = 0; v < versions.size(); v++) {
                    if (versions.get(v) != v) {
                        gaps.add(table.getKey() + ": " + versions);
                        break;
                    }
                }
                if (oracle == null) {
                    continue;
                }
                String location = location(c, table.getKey());
                mismatches.addAll(oracle.mismatches(c, table.getKey(), location, table.getValue()));
                logVersionsRead += table.getValue() + 1;
            }
        }
        return new Check(lost, duplicated, refusedButPresent, gaps, mismatches, indeterminatePresent, logVersionsRead);
    }

    /**
     * The versions of {@code table} where {@code read} (index {@code v} is version {@code v}, as an
     * independent reader reads the published log) differs from what Postgres recorded: each action,
     * kind by kind and field by field ({@link #recorded}), and the paths it adds and removes against
     * the {@code files} rows added and removed at that version. One line per differing version,
     * saying what only the log and what only Postgres holds; empty when they agree.
     */
    public static List<String> logMismatches(Connection c, String table, List<DeltaLogVersions.Version> read)
            throws SQLException {
        long newest = read.size() - 1;
        List<DeltaLogVersions.Version> held = recorded(c, table, newest);
        List<DeltaLogVersions.Changes> files = changes(c, table, newest);
        List<String> mismatches = new ArrayList<>();
        for (int v = 0; v <= newest; v++) {
            List<String> differences = read.get(v).differences(held.get(v), "the log", "Postgres");
            if (!read.get(v).changes().equals(files.get(v))) {
                differences.add("paths: the log " + read.get(v).changes() + ", Postgres's files " + files.get(v));
            }
            if (!differences.isEmpty()) {
                mismatches.add(table + "@" + v + ": " + String.join("; ", differences));
            }
        }
        return mismatches;
    }

    private static final String TABLE_ID =
            "SELECT id FROM metadata.tables t WHERE t.catalog || '.' || t.schema || '.' || t.name = ?";
    private static final String RECORDED_COMMITS =
            "SELECT version, actions::text FROM metadata.commits WHERE table_id = ? AND version <= ?";
    private static final String RECORDED_ADDS =
            "SELECT added_version, action FROM metadata.files WHERE table_id = ? AND added_version <= ?";
    private static final String RECORDED_METADATA =
            "SELECT version, action::text FROM metadata.metadata_versions WHERE table_id = ? AND version <= ?";
    private static final String RECORDED_PROTOCOLS =
            "SELECT version, action::text FROM metadata.protocol_versions WHERE table_id = ? AND version <= ?";
    private static final String RECORDED_TXNS = "SELECT version, app_id, txn_version, last_updated"
            + " FROM metadata.app_txns WHERE table_id = ? AND version <= ?";
    private static final String RECORDED_DOMAINS = "SELECT version, domain, configuration, removed"
            + " FROM metadata.domain_metadata WHERE table_id = ? AND version <= ?";

    /**
     * Every action of versions 0..newest of {@code table} as Postgres recorded it, each kind from the
     * rows that record it: adds from {@code files} (their stored add action), metaData from {@code
     * metadata_versions}, protocol from {@code protocol_versions}, txn from {@code app_txns},
     * domainMetadata from {@code domain_metadata}; removes, commitInfo and cdc, which only the version's
     * actions hold, from {@code commits.actions}. Projected onto the fields Delta Kernel reads
     * ({@link DeltaLogVersions#fromJson}), read with a plain JSON parser.
     */
    public static List<DeltaLogVersions.Version> recorded(Connection c, String table, long newest) throws SQLException {
        DeltaLogVersions.VersionCollector collector = new DeltaLogVersions.VersionCollector(newest);
        Object id;
        try (PreparedStatement s = c.prepareStatement(TABLE_ID)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("table %s in Postgres", table).isTrue();
                id = rs.getObject(1);
            }
        }
        rows(c, RECORDED_COMMITS, id, newest, rs -> {
            for (JsonNode action : JSON.readTree(rs.getString(2))) {
                for (String kind : List.of("remove", "commitInfo", "cdc")) {
                    if (action.has(kind)) {
                        collector.action(rs.getLong(1), kind, DeltaLogVersions.fromJson(kind, action.get(kind)));
                    }
                }
            }
        });
        rows(
                c,
                RECORDED_ADDS,
                id,
                newest,
                rs -> collector.action(
                        rs.getLong(1), "add", DeltaLogVersions.fromJson("add", JSON.readTree(rs.getString(2)))));
        rows(
                c,
                RECORDED_METADATA,
                id,
                newest,
                rs -> collector.action(
                        rs.getLong(1),
                        "metaData",
                        DeltaLogVersions.fromJson("metaData", JSON.readTree(rs.getString(2)))));
        rows(
                c,
                RECORDED_PROTOCOLS,
                id,
                newest,
                rs -> collector.action(
                        rs.getLong(1),
                        "protocol",
                        DeltaLogVersions.fromJson("protocol", JSON.readTree(rs.getString(2)))));
        rows(c, RECORDED_TXNS, id, newest, rs -> {
            ObjectNode txn =
                    JSON.createObjectNode().put("appId", rs.getString(2)).put("version", rs.getLong(3));
            long lastUpdated = rs.getLong(4);
            if (!rs.wasNull()) {
                txn.put("lastUpdated", lastUpdated);
            }
            collector.action(rs.getLong(1), "txn", DeltaLogVersions.fromJson("txn", txn));
        });
        rows(c, RECORDED_DOMAINS, id, newest, rs -> {
            ObjectNode domain = JSON.createObjectNode()
                    .put("domain", rs.getString(2))
                    .put("configuration", rs.getString(3))
                    .put("removed", rs.getBoolean(4));
            collector.action(rs.getLong(1), "domainMetadata", DeltaLogVersions.fromJson("domainMetadata", domain));
        });
        return collector.versions();
    }

    @FunctionalInterface
    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void rows(Connection c, String sql, Object tableId, long newest, Row row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, tableId);
            s.setLong(2, newest);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    /** What Postgres records each version 0..newest of {@code table} as adding and removing. */
    private static List<DeltaLogVersions.Changes> changes(Connection c, String table, long newest) throws SQLException {
        DeltaLogVersions.Collector collector = new DeltaLogVersions.Collector(newest);
        try (PreparedStatement s = c.prepareStatement(FILES)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long at = rs.getLong(2);
                    if (at <= newest) {
                        collector.added(at, rs.getString(1));
                    }
                    long gone = rs.getLong(3);
                    if (!rs.wasNull() && gone <= newest) {
                        collector.removed(gone, rs.getString(1));
                    }
                }
            }
        }
        return collector.changes();
    }

    private static String location(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCATION)) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static List<Long> longs(Connection c, String sql, String first, String second) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, first);
            if (second != null) {
                s.setString(2, second);
            }
            List<Long> values = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getLong(1));
                }
            }
            return values;
        }
    }
}
