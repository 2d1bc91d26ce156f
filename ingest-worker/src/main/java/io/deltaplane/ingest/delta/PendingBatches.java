package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 *
 * <p>Several workers may share the warehouse (MotherDuck): each batch records its {@link BatchOwner}
 * and is settled only by a session that {@linkplain #takeOver took it over} — one of the same worker
 * (its previous session is dead), or any once the batch's lease has run out (its owner renews it
 * before the upload and before each commit attempt). Every later step is
 * conditional on still holding the batch, so its first owner, if still alive, learns it lost the
 * batch ({@link #renew}) and gives up without touching its files.
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

    List<String> ddl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS " + table
                        + " (batch_id VARCHAR PRIMARY KEY, mapping VARCHAR NOT NULL, files VARCHAR NOT NULL,"
                        + " next_offsets VARCHAR NOT NULL, rows BIGINT NOT NULL, dead_letters BIGINT NOT NULL,"
                        + " created_at TIMESTAMPTZ NOT NULL)",
                // a warehouse an earlier release made: its rows have no owner and are anyone's to settle
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS owner VARCHAR",
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS session VARCHAR",
                "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS lease_until TIMESTAMPTZ");
    }

    /** Records a batch held by {@code owner} until {@code now} plus its lease, inside the caller's transaction. */
    void add(DuckDBConnection connection, Pending pending, BatchOwner owner, Instant now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table
                + " (batch_id, mapping, files, next_offsets, rows, dead_letters, created_at, owner, session,"
                + " lease_until) VALUES (?, ?, ?, ?, ?, ?, current_timestamp, ?, ?, ?)")) {
            ps.setString(1, pending.batchId());
            ps.setString(2, mapping);
            ps.setString(3, String.join("\n", pending.files()));
            ps.setString(4, offsets(pending.nextOffsets()));
            ps.setLong(5, pending.rows());
            ps.setLong(6, pending.deadLetters());
            ps.setString(7, owner.worker());
            ps.setString(8, owner.session());
            ps.setObject(9, OffsetDateTime.ofInstant(now.plus(owner.lease()), ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /**
     * Forgets a batch {@code owner}'s session holds, inside the caller's transaction; false when it
     * holds it no longer (another session took it over, and settles it).
     */
    boolean remove(DuckDBConnection connection, String batchId, BatchOwner owner) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM " + table + " WHERE batch_id = ? AND session = ?")) {
            ps.setString(1, batchId);
            ps.setString(2, owner.session());
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Renews the batch's lease before a step that takes time (the upload, a commit attempt); the batch
     * is given up ({@link BatchTakenOver}) when another session took it over meanwhile.
     */
    void requireHeld(DuckDBConnection connection, String batchId, BatchOwner owner, Instant now)
            throws SQLException, BatchTakenOver {
        if (!renew(connection, batchId, owner, now)) {
            throw new BatchTakenOver("Batch " + batchId + " of mapping " + mapping + " was settled by another"
                    + " session (its lease ran out while this one retried); its events are written again"
                    + " from the table's positions");
        }
    }

    /**
     * Extends the batch's lease for {@code owner}'s session, in a transaction of its own; false when it
     * holds the batch no longer.
     */
    boolean renew(DuckDBConnection connection, String batchId, BatchOwner owner, Instant now) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE " + table + " SET lease_until = ? WHERE batch_id = ? AND session = ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now.plus(owner.lease()), ZoneOffset.UTC));
            ps.setString(2, batchId);
            ps.setString(3, owner.session());
            boolean held = ps.executeUpdate() == 1;
            connection.commit();
            return held;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * Takes over, for {@code owner}'s session, the mapping's batches it may settle: those another
     * session of the same worker left, those whose lease ran out at {@code now}, and those recorded
     * without an owner; committed at once, so their previous holder sees it has lost them.
     */
    List<Pending> takeOver(DuckDBConnection connection, BatchOwner owner, Instant now) throws SQLException {
        List<Pending> taken = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table
                + " SET owner = ?, session = ?, lease_until = ?"
                + " WHERE mapping = ? AND session IS DISTINCT FROM ?"
                + " AND (owner = ? OR lease_until < ?"
                // an earlier release's worker may still be committing it (unfenced): a lease after its start
                + " OR (owner IS NULL AND created_at < ?))"
                + " RETURNING batch_id, files, next_offsets, rows, dead_letters")) {
            ps.setString(1, owner.worker());
            ps.setString(2, owner.session());
            ps.setObject(3, OffsetDateTime.ofInstant(now.plus(owner.lease()), ZoneOffset.UTC));
            ps.setString(4, mapping);
            ps.setString(5, owner.session());
            ps.setString(6, owner.worker());
            ps.setObject(7, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setObject(8, OffsetDateTime.ofInstant(now.minus(owner.lease()), ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    taken.add(pending(rs));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        return taken;
    }

    /** Every batch of the mapping, whoever holds it. */
    List<Pending> list(DuckDBConnection connection) throws SQLException {
        List<Pending> pending = new ArrayList<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT batch_id, files, next_offsets, rows, dead_letters FROM " + table
                        + " WHERE mapping = ? ORDER BY created_at")) {
            ps.setString(1, mapping);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pending.add(pending(rs));
                }
            }
        }
        return pending;
    }

    private static Pending pending(ResultSet rs) throws SQLException {
        String files = rs.getString(2);
        return new Pending(
                rs.getString(1),
                files.isEmpty() ? List.of() : Arrays.asList(files.split("\n")),
                parse(rs.getString(3)),
                rs.getLong(4),
                rs.getLong(5));
    }

    void create(DuckDBConnection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String ddl : ddl()) {
                s.execute(ddl);
            }
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
