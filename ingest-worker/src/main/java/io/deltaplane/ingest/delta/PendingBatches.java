package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Batches whose files may be in the table's location but whose Delta commit is not known to have
 * landed, kept in the worker's DuckDB warehouse. A batch is recorded before its files are uploaded
 * and forgotten after its commit is confirmed; after a crash, {@link DeltaSink} settles each one by
 * the table's txn versions: landed batches count towards the totals, the files of the others are
 * deleted (they are referenced by no version, so no reader can see them).
 */
final class PendingBatches {

    /** One pending batch: its files (plain paths under the table location) and where it leaves each partition. */
    record Pending(String batchId, List<String> files, Map<Integer, Long> nextOffsets, long rows, long deadLetters) {}

    private final String table;
    private final String mapping;

    PendingBatches(String database, String mapping) {
        this.table = q(database) + ".main." + q("_deltaplane_delta_pending");
        this.mapping = requireNonNull(mapping, "mapping");
    }

    String ddl() {
        return "CREATE TABLE IF NOT EXISTS " + table
                + " (batch_id VARCHAR PRIMARY KEY, mapping VARCHAR NOT NULL, files VARCHAR NOT NULL,"
                + " next_offsets VARCHAR NOT NULL, rows BIGINT NOT NULL, dead_letters BIGINT NOT NULL,"
                + " created_at TIMESTAMPTZ NOT NULL)";
    }

    /** Records a batch, inside the caller's transaction. */
    void add(DuckDBConnection connection, Pending pending) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table
                + " (batch_id, mapping, files, next_offsets, rows, dead_letters, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, current_timestamp)")) {
            ps.setString(1, pending.batchId());
            ps.setString(2, mapping);
            ps.setString(3, String.join("\n", pending.files()));
            ps.setString(4, offsets(pending.nextOffsets()));
            ps.setLong(5, pending.rows());
            ps.setLong(6, pending.deadLetters());
            ps.executeUpdate();
        }
    }

    /** Forgets a batch, inside the caller's transaction. */
    void remove(DuckDBConnection connection, String batchId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ?")) {
            ps.setString(1, batchId);
            ps.executeUpdate();
        }
    }

    List<Pending> list(DuckDBConnection connection) throws SQLException {
        List<Pending> pending = new ArrayList<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT batch_id, files, next_offsets, rows, dead_letters FROM " + table
                        + " WHERE mapping = ? ORDER BY created_at")) {
            ps.setString(1, mapping);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String files = rs.getString(2);
                    pending.add(new Pending(
                            rs.getString(1),
                            files.isEmpty() ? List.of() : Arrays.asList(files.split("\n")),
                            parse(rs.getString(3)),
                            rs.getLong(4),
                            rs.getLong(5)));
                }
            }
        }
        return pending;
    }

    void create(DuckDBConnection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(ddl());
        }
    }

    private static String offsets(Map<Integer, Long> offsets) {
        StringBuilder out = new StringBuilder();
        offsets.forEach((p, o) ->
                out.append(out.isEmpty() ? "" : ",").append(p).append(':').append(o));
        return out.toString();
    }

    private static Map<Integer, Long> parse(String text) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        if (!text.isEmpty()) {
            for (String pair : text.split(",")) {
                String[] kv = pair.split(":");
                offsets.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
            }
        }
        return offsets;
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
