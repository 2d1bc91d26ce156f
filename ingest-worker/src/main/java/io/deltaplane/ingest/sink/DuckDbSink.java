package io.deltaplane.ingest.sink;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Writes batches of one mapping on its own DuckDB connection. Each batch — target rows, dead letters
 * and the new per-partition offsets — is one DuckDB transaction: after a crash either all of it is
 * there or none of it, and the consumer resumes from the offsets in the control table. That is the
 * exactly-once guarantee; offsets committed back to the source are only for lag monitoring.
 *
 * <p>Not thread-safe: one consumer thread owns a sink.
 */
public final class DuckDbSink implements Sink {

    private final DuckDBConnection connection;
    private final SinkPlan plan;
    private final String mapping;
    private final String stream;
    private final boolean dryRun;
    private final String createChecked;
    private final String insertGood;
    private final String insertDead;
    private final String dryRunCounts;

    public DuckDbSink(DuckDBConnection connection, SinkPlan plan) throws SQLException {
        this.connection = requireNonNull(connection, "connection");
        this.plan = requireNonNull(plan, "plan");
        this.mapping = plan.mapping().name();
        this.stream = plan.mapping().source().stream();
        this.dryRun = plan.mapping().isDryRun();
        this.createChecked = plan.createChecked();
        this.insertGood = plan.insertGood();
        this.insertDead = plan.insertDead();
        this.dryRunCounts = plan.dryRunCounts();
        prepare();
    }

    /** Creates the staging table and, unless this is a dry run (which writes nothing), the tables. */
    private void prepare() throws SQLException {
        try (Statement s = connection.createStatement()) {
            Stage.create(connection);
            if (!dryRun) {
                for (String ddl : plan.ddl()) {
                    s.execute(ddl);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
    }

    @Override
    public Map<Integer, Long> positions() throws SQLException {
        Map<Integer, Long> positions = new HashMap<>();
        if (dryRun && !tableExists(SinkPlan.CONTROL_TABLE)) {
            return positions;
        }
        try (PreparedStatement ps = connection.prepareStatement(plan.selectOffsets())) {
            ps.setString(1, mapping);
            ps.setString(2, stream);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    positions.put(rs.getInt(1), rs.getLong(2));
                }
            }
        } finally {
            connection.commit();
        }
        return positions;
    }

    private boolean tableExists(String name) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE table_name = '" + name
                        + "' AND schema_name = 'main'")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /**
     * Writes the batch atomically. {@code expected} holds, per partition, the next offset the consumer
     * believes is committed (absent for a partition never written); if the control table disagrees
     * the batch is rolled back with a {@link StaleOffsetsException}.
     */
    @Override
    public BatchResult write(SinkBatch batch, Map<Integer, Long> expected) throws SQLException {
        long started = System.nanoTime();
        try {
            Stage.fill(connection, batch);
            return dryRun ? count(batch, started) : commitBatch(batch, expected, started);
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private BatchResult commitBatch(SinkBatch batch, Map<Integer, Long> expected, long started) throws SQLException {
        long rows;
        long dead;
        try (Statement s = connection.createStatement()) {
            s.execute(createChecked);
            rows = s.executeUpdate(insertGood);
        }
        try (PreparedStatement ps = connection.prepareStatement(insertDead)) {
            ps.setString(1, mapping);
            dead = ps.executeUpdate();
        }
        Map<Integer, Long> next = batch.nextOffsets();
        storeOffsets(next, expected);
        addTotals(connection, plan, rows, dead);
        Stage.clear(connection);
        connection.commit();
        return new BatchResult(rows, dead, next, System.nanoTime() - started, false);
    }

    private void storeOffsets(Map<Integer, Long> next, Map<Integer, Long> expected) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(plan.updateOffset());
                PreparedStatement insert = connection.prepareStatement(plan.insertOffset())) {
            for (Map.Entry<Integer, Long> e : next.entrySet()) {
                Long previous = expected.get(e.getKey());
                if (previous == null) {
                    // A concurrent first write of the same partition violates the primary key: rollback.
                    insert.setString(1, mapping);
                    insert.setString(2, stream);
                    insert.setInt(3, e.getKey());
                    insert.setLong(4, e.getValue());
                    insert.executeUpdate();
                } else {
                    update.setLong(1, e.getValue());
                    update.setString(2, mapping);
                    update.setString(3, stream);
                    update.setInt(4, e.getKey());
                    update.setLong(5, previous);
                    if (update.executeUpdate() != 1) {
                        throw new StaleOffsetsException("Partition " + e.getKey() + " of " + stream
                                + " moved past offset " + previous + " in the control table");
                    }
                }
            }
        }
    }

    @Override
    public SinkTotals totals() throws SQLException {
        return dryRun && !tableExists(SinkPlan.TOTALS_TABLE) ? SinkTotals.NONE : readTotals(connection, plan);
    }

    /** The mapping's totals in the warehouse, by writer (none yet: none). */
    public static SinkTotals readTotals(DuckDBConnection connection, SinkPlan plan) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(plan.selectTotals())) {
            ps.setString(1, plan.mapping().name());
            ps.setString(2, plan.mapping().name());
            Map<String, SinkTotals.Counts> byWriter = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byWriter.put(rs.getString(1), new SinkTotals.Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            return new SinkTotals(byWriter);
        } finally {
            connection.commit();
        }
    }

    /** Adds a batch to the totals, inside the caller's transaction. */
    public static void addTotals(DuckDBConnection connection, SinkPlan plan, long rows, long dead) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(plan.addTotals())) {
            ps.setString(1, plan.mapping().name());
            ps.setString(2, plan.writer());
            ps.setLong(3, rows);
            ps.setLong(4, dead);
            ps.executeUpdate();
        }
    }

    private BatchResult count(SinkBatch batch, long started) throws SQLException {
        long rows;
        long dead;
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(dryRunCounts)) {
            rs.next();
            rows = rs.getLong(1);
            dead = rs.getLong(2);
        }
        // A dry run writes nothing: the staged rows go with the rollback.
        connection.rollback();
        return new BatchResult(rows, dead, batch.nextOffsets(), System.nanoTime() - started, true);
    }

    private void rollbackQuietly() {
        rollbackQuietly(connection);
    }

    /** Rolls back after a failure; a broken connection's error is the caller's to report. */
    public static void rollbackQuietly(DuckDBConnection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the caller's error says why, and an open transaction dies with it.
        }
    }

    @Override
    public void close() throws SQLException {
        rollbackQuietly();
        connection.close();
    }
}
