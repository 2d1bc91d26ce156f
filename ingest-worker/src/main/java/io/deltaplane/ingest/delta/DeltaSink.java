package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.MetadataClient.Snapshot;
import io.deltaplane.ingest.delta.MetadataClient.VersionConflict;
import io.deltaplane.ingest.delta.PendingBatches.Pending;
import io.deltaplane.ingest.sink.BatchResult;
import io.deltaplane.ingest.sink.DuckDbSink;
import io.deltaplane.ingest.sink.Sink;
import io.deltaplane.ingest.sink.SinkBatch;
import io.deltaplane.ingest.sink.SinkPlan;
import io.deltaplane.ingest.sink.SinkTotals;
import io.deltaplane.ingest.sink.Stage;
import io.deltaplane.ingest.sink.StaleOffsetsException;
import io.deltaplane.storage.Storage;
import io.deltaplane.support.backoff.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lands a mapping's batches in a Delta table, exactly once, as one Delta commit per batch.
 *
 * <p>Each batch is checked in DuckDB (the same SQL as the DuckDB target), its good rows are written
 * as Parquet with column statistics, uploaded under the table's location through the platform's
 * storage layer, and committed with one {@code POST /tables/{t}/commits} that carries the files and
 * one {@code txn} action per source partition ({@link IngestTxn}: the version is the next offset;
 * {@link DeltaCommitActions} builds them).
 * The commit names the table version it builds on: if another writer committed meanwhile the
 * service answers 409, and the batch is retried on the new version only if the table's txn
 * versions still say where this consumer thinks each partition stands — a batch whose commit
 * landed is never committed again, and a consumer that lost its partitions (a rebalance) cannot
 * commit a batch the new owner also writes.
 *
 * <p>Dead letters go to the warehouse's dead-letter table ({@code delta_ingest.<mapping>_dead_letters}),
 * keyed by (mapping, partition, offset) so a rewritten batch cannot add them twice. Files uploaded
 * for a commit that did not land are deleted when the sink next opens ({@link PendingBatches}).
 */
public final class DeltaSink implements Sink {

    private static final Logger log = LoggerFactory.getLogger(DeltaSink.class);
    private static final int COMMIT_ATTEMPTS = 5;
    /** Between attempts whose outcome is unknown: 400 ms doubling to 6.4 s, spread ±20%. */
    private static final Backoff COMMIT_RETRY = new Backoff(Duration.ofMillis(400), Duration.ofMillis(6400), 0.2);

    private final DuckDBConnection connection;
    private final SinkPlan plan;
    private final DeltaTarget target;
    private final MetadataClient metadata;
    private final Storage storage;
    private final ParquetBatchWriter writer;
    private final PendingBatches pending;
    private final IngestTxn txn;
    private final Clock clock;
    private final String mapping;
    private final boolean dryRun;
    private final CommitObserver observer;
    private final DeltaCommitActions commitActions;
    private final InFlightFence fence;
    /** This session of the worker: the batches it records are its own, and it settles only what it takes over. */
    private final BatchOwner owner;
    /** When to look next for batches of dead sessions whose lease ran out (settled while this sink runs). */
    private Instant nextOrphanSweep;
    /** The table version this sink last saw or wrote: the next commit expects it. */
    private long version;
    /**
     * A batch whose commit landed but whose bookkeeping (pending record dropped, totals added) is
     * not yet in DuckDB: it rides along with the next batch's DuckDB transaction instead of costing
     * one of its own. A crash before then is settled on reopen like any pending batch that landed.
     */
    private Landed landed;

    private record Landed(String batchId, long rows, long deadLetters) {}

    public DeltaSink(
            DuckDBConnection connection,
            SinkPlan plan,
            DeltaTarget target,
            MetadataClient metadata,
            Storage storage,
            java.nio.file.Path stagingDir,
            JsonMapper json,
            Clock clock,
            CommitObserver observer,
            BatchOwner owner)
            throws IOException, SQLException {
        this.connection = requireNonNull(connection, "connection");
        this.plan = requireNonNull(plan, "plan");
        this.target = requireNonNull(target, "target");
        this.metadata = requireNonNull(metadata, "metadata");
        this.storage = requireNonNull(storage, "storage");
        this.clock = requireNonNull(clock, "clock");
        this.observer = requireNonNull(observer, "observer");
        this.owner = requireNonNull(owner, "owner");
        this.mapping = plan.mapping().name();
        this.dryRun = plan.mapping().isDryRun();
        this.writer = new ParquetBatchWriter(target.columns(), target.partitionBy(), stagingDir);
        this.pending = new PendingBatches(plan.database(), mapping);
        this.txn = new IngestTxn(mapping, plan.mapping().source().stream());
        this.commitActions = new DeltaCommitActions(json, mapping, plan.mapping().source().stream(), txn, observer);
        this.fence = new InFlightFence(metadata, target, commitActions, txn, clock, mapping, COMMIT_ATTEMPTS);
        prepare();
    }

    private void prepare() throws IOException, SQLException {
        try (Statement s = connection.createStatement()) {
            Stage.create(connection);
            if (!dryRun) {
                for (String ddl : plan.ddl()) {
                    s.execute(ddl);
                }
                pending.create(connection);
            }
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw e;
        }
        Snapshot snapshot = metadata.snapshot(target.fullName());
        version = snapshot.version();
        if (!dryRun) {
            settle(snapshot);
        }
    }

    /**
     * Settles the batches a previous incarnation left pending: this worker's earlier sessions', and
     * any other worker's whose lease ran out ({@link PendingBatches#takeOver}; a live worker's batch
     * in flight is left to it). A batch whose partitions the table's txn versions have not reached did
     * not land: its files are referenced by no version and are deleted. Otherwise it landed and counts
     * towards the totals — or, after a rebalance, another consumer wrote the same events; its files
     * are then left (harmless, unreferenced) rather than risk deleting a file that some version
     * references. The table is read after an {@link InFlightFence}, so a commit still in flight cannot
     * land after its files are gone; a batch's first owner still retrying it sees it was taken over
     * and gives up ({@link #commit}).
     */
    private void settle(Snapshot snapshot) throws IOException, SQLException {
        Instant now = clock.instant();
        nextOrphanSweep = now.plus(owner.lease());
        List<Pending> left = pending.takeOver(connection, owner, now);
        if (left.isEmpty()) {
            return;
        }
        Set<Integer> partitions = new TreeSet<>();
        left.forEach(p -> partitions.addAll(p.nextOffsets().keySet()));
        InFlightFence.Fenced fenced = fence.fence(snapshot, partitions);
        version = fenced.version();
        Map<Integer, Long> positions = txn.positions(fenced.table().appVersions());
        for (Pending p : left) {
            boolean didLand = p.nextOffsets().entrySet().stream()
                    .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
            if (!didLand) {
                for (String file : p.files()) {
                    storage.delete(storage.resolve(target.location(), file));
                }
                log.info(
                        "Mapping {}: deleted {} file(s) of batch {}, whose commit did not land",
                        mapping,
                        p.files().size(),
                        p.batchId());
            }
            if (pending.remove(connection, p.batchId(), owner) && didLand) {
                DuckDbSink.addTotals(connection, plan, p.rows(), p.deadLetters());
            }
        }
        connection.commit();
    }

    /** Settles, while this sink runs, the batches of sessions that died since it opened, once their lease ran out. */
    private void settleOrphansIfDue() throws IOException, SQLException {
        if (!dryRun && clock.instant().isAfter(nextOrphanSweep)) {
            settle(metadata.snapshot(target.fullName()));
        }
    }

    @Override
    public Map<Integer, Long> positions() throws IOException {
        Snapshot snapshot = metadata.snapshot(target.fullName());
        version = Math.max(version, snapshot.version());
        return txn.positions(snapshot.appVersions());
    }

    @Override
    public SinkTotals totals() throws SQLException {
        if (dryRun) {
            return SinkTotals.NONE;
        }
        recordLanded();
        connection.commit();
        landed = null;
        return DuckDbSink.readTotals(connection, plan);
    }

    /** Adds the landed batch's bookkeeping to the open DuckDB transaction (the caller commits it). */
    private void recordLanded() throws SQLException {
        // a session that settled it meanwhile (this one's lease ran out) counted it already
        if (landed != null && pending.remove(connection, landed.batchId(), owner)) {
            DuckDbSink.addTotals(connection, plan, landed.rows(), landed.deadLetters());
        }
    }

    @Override
    public BatchResult write(SinkBatch batch, Map<Integer, Long> expected) throws IOException, SQLException {
        long started = System.nanoTime();
        List<DataFile> files = List.of();
        try {
            settleOrphansIfDue();
            Stage.fill(connection, batch);
            try (Statement s = connection.createStatement()) {
                s.execute(plan.createChecked());
            }
            long[] counts = counts();
            if (dryRun) {
                connection.rollback();
                return new BatchResult(counts[0], counts[1], batch.nextOffsets(), System.nanoTime() - started, true);
            }
            Instant now = clock.instant();
            files = writer.write(connection, now);
            long dead = 0;
            if (counts[1] > 0) { // most batches have none: skip the join that finds them
                try (PreparedStatement ps = connection.prepareStatement(plan.insertDead())) {
                    ps.setString(1, mapping);
                    dead = ps.executeUpdate();
                }
            }
            String batchId = UUID.randomUUID().toString();
            Map<Integer, Long> next = batch.nextOffsets();
            pending.add(
                    connection,
                    new Pending(
                            batchId, files.stream().map(DataFile::relativePath).toList(), next, counts[0], counts[1]),
                    owner,
                    now);
            Stage.clear(connection);
            recordLanded();
            // Dead letters and the pending record first: after a crash from here on, the batch is
            // either found landed (and counted) or its files are deleted.
            connection.commit();
            landed = null;
            pending.requireHeld(connection, batchId, owner, clock.instant());
            upload(files);
            try {
                commit(batchId, batch, expected, files, now);
            } catch (StaleOffsetsException e) {
                // Certainly not committed (another consumer holds the partitions): take the files back.
                forget(batchId, files);
                throw e;
            }
            observer.committed(target.fullName(), target.location(), version);
            landed = new Landed(batchId, counts[0], counts[1]);
            return new BatchResult(counts[0], counts[1], next, System.nanoTime() - started, false);
        } catch (SQLException | IOException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        } finally {
            for (DataFile f : files) {
                Files.deleteIfExists(f.staged());
            }
        }
    }

    private void forget(String batchId, List<DataFile> files) throws IOException, SQLException {
        if (!pending.remove(connection, batchId, owner)) {
            connection.rollback(); // taken over: the session that holds it now settles its files
            return;
        }
        for (DataFile f : files) {
            storage.delete(storage.resolve(target.location(), f.relativePath()));
        }
        connection.commit();
    }

    /** Good and dead rows of the checked batch. */
    private long[] counts() throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE _error IS NULL),"
                        + " count(*) FILTER (WHERE _error IS NOT NULL) FROM " + ParquetBatchWriter.CHECKED)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private void upload(List<DataFile> files) throws IOException {
        for (DataFile f : files) {
            String path = storage.resolve(target.location(), f.relativePath());
            // Names are fresh UUIDs: a file already there is not ours, and must not be replaced.
            if (!storage.putFileIfAbsent(path, f.staged())) {
                throw new IOException("A file already exists at " + path);
            }
        }
    }

    /**
     * Appends the batch at the table's next version, read at the version this sink knows: other
     * writers' appends (other partitions, other pipelines) never conflict with it. A conflict means
     * a txn of one of the batch's partitions (or the table's schema) moved since that read: the
     * sink re-reads the table and retries as long as its txn versions still match {@code expected}.
     * A failure whose outcome is unknown (a timeout) is settled the same way: the table says
     * whether the commit landed. Before each retry the sink checks it still holds the batch: a
     * session that took it over fenced the table and may have deleted its files, so it gives up
     * ({@link BatchTakenOver}) rather than commit a version naming them. (The first attempt needs no
     * check: it names a version read before the batch was recorded, which such a fence makes fail.)
     */
    private void commit(String batchId, SinkBatch batch, Map<Integer, Long> expected, List<DataFile> files, Instant now)
            throws IOException, SQLException {
        Map<Integer, Long> next = batch.nextOffsets();
        List<JsonNode> actions = commitActions.actions(batch, files, now);
        IOException lastFailure = null;
        // Set once an attempt's outcome is unknown (no answer): only then can the table already hold it.
        boolean mayHaveLanded = false;
        for (int attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
            try {
                version = metadata.append(target.fullName(), version, actions, DeltaCommitActions.OPERATION);
                return;
            } catch (VersionConflict conflict) {
                lastFailure = null;
            } catch (IOException e) {
                lastFailure = e;
                mayHaveLanded = true;
                log.warn("Mapping {}: commit attempt {} failed: {}", mapping, attempt, e.toString());
                sleep(attempt);
            }
            Snapshot snapshot;
            try {
                snapshot = metadata.snapshot(target.fullName());
            } catch (IOException e) {
                lastFailure = e;
                continue;
            }
            Map<Integer, Long> positions = txn.positions(snapshot.appVersions());
            version = snapshot.version();
            if (mayHaveLanded
                    && next.entrySet().stream()
                            .allMatch(e -> Objects.equals(positions.get(e.getKey()), e.getValue()))) {
                return; // An earlier attempt landed (its answer was lost).
            }
            for (Integer partition : next.keySet()) {
                if (!Objects.equals(positions.get(partition), expected.get(partition))) {
                    throw new StaleOffsetsException("Partition " + partition + " of " + target.fullName()
                            + " is at txn version " + positions.get(partition) + ", not " + expected.get(partition)
                            + ": another consumer wrote it");
                }
            }
            pending.requireHeld(connection, batchId, owner, clock.instant());
        }
        throw lastFailure != null
                ? lastFailure
                : new IOException("Could not commit to " + target.fullName() + " in " + COMMIT_ATTEMPTS + " attempts");
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(COMMIT_RETRY.delay(attempt).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rollbackQuietly() {
        DuckDbSink.rollbackQuietly(connection);
    }

    @Override
    public void close() throws SQLException {
        rollbackQuietly();
        try {
            if (landed != null) {
                recordLanded();
                connection.commit();
            }
        } catch (SQLException e) {
            // Settled on reopen: the table's txn versions say the batch landed.
            log.warn("Mapping {}: bookkeeping of the last batch left to the next start: {}", mapping, e.toString());
        } finally {
            connection.close();
        }
    }
}
