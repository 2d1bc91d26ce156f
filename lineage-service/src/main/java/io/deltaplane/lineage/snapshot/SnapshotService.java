package io.deltaplane.lineage.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.lineage.graph.LineageEdges;
import io.deltaplane.lineage.runref.RunLookup;
import io.deltaplane.lineage.runref.RunRef;
import io.deltaplane.lineage.snapshot.SnapshotRecords.NewSnapshot;
import io.deltaplane.lineage.snapshot.SnapshotRecords.RegisterSnapshot;
import io.deltaplane.lineage.snapshot.SnapshotRecords.SnapshotPage;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Snapshots of tables, and the read (input) and write (output) edges runs leave on them. */
@Service
public class SnapshotService {

    public static final String DEFAULT_NAMESPACE = "default";

    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final RunLookup runs;
    private final LineageEdges edges;
    private final Clock clock;

    public SnapshotService(
            TableRepository tables, SnapshotRepository snapshots, RunLookup runs, LineageEdges edges, Clock clock) {
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.runs = requireNonNull(runs, "runs");
        this.edges = requireNonNull(edges, "edges");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The newest snapshot; with a run id, that run is recorded as a reader of it. */
    @Transactional
    public Snapshot latest(String tableName, UUID readerRunId) {
        Names.lookup(tableName);
        RunRef reader = readerRunId == null ? null : runs.requireRunning(readerRunId, null);
        long tableId = tables.findId(tableName).orElseThrow(() -> tableNotFound(tableName));
        Snapshot latest = snapshots
                .latest(tableId)
                .orElseThrow(() -> ApiException.notFound(
                        ErrorCode.SNAPSHOT_NOT_FOUND, "Table '" + tableName + "' has no snapshot yet."));
        if (reader != null) {
            Instant now = Times.now(clock);
            snapshots.recordInput(reader.id(), tableId, latest.snapshotId(), now);
            edges.read(tableId, reader.jobId(), now);
        }
        return latest;
    }

    /** A run registers what it wrote: a new snapshot whose writer is the run. */
    @Transactional
    public Snapshot register(RegisterSnapshot request) {
        Names.dotted("table", request.tableName());
        // The job is named by one of its runs, which must exist: any name a job may have (OpenLineage
        // producers' and the ingest worker's "ingest:<mapping>" included) is accepted.
        Names.lookup(request.jobName());
        RunRef writer = runs.requireRunning(request.runId(), request.jobName());
        Instant now = Times.now(clock);
        long tableId = tables.upsert(request.tableName(), DEFAULT_NAMESPACE, now);
        Optional<Long> inserted = snapshots.insert(
                tableId, request.uri(), request.format(), request.schema(), request.version(), writer.id(), now, "api");
        edges.wrote(writer.jobId(), tableId, now);
        if (inserted.isPresent()) {
            // Everything the response shows is at hand: no read-back on the pipelines' hot path.
            return new Snapshot(
                    inserted.get(),
                    request.tableName(),
                    request.uri(),
                    request.format(),
                    request.schema() == null || request.schema().isNull() ? null : request.schema(),
                    now,
                    request.version(),
                    writer.id(),
                    writer.jobName());
        }
        return snapshots.get(adoptVersion(tableId, request.version(), request.uri(), writer.id(), request.tableName()));
    }

    /**
     * A snapshot from outside a run, such as a Delta commit relayed by metadata-service. Idempotent
     * on (table, version, location): the first delivery creates it, repeats find it; the same name
     * at another location is a table made again there, whose versions are new.
     */
    @Transactional
    public Recorded record(String tableName, NewSnapshot request) {
        Names.dotted("table", tableName);
        RunRef writer = request.runId() == null ? null : runs.require(request.runId(), null);
        Instant now = Times.now(clock);
        long tableId = tables.upsert(tableName, DEFAULT_NAMESPACE, now);
        Optional<Long> inserted = snapshots.insert(
                tableId,
                request.uri(),
                request.format(),
                request.schema(),
                request.version(),
                writer == null ? null : writer.id(),
                request.createdAt() == null ? now : request.createdAt(),
                "api");
        if (inserted.isEmpty()) {
            long existing = snapshots
                    .findVersion(tableId, request.version(), request.uri())
                    .orElseThrow()
                    .id();
            return new Recorded(snapshots.get(existing), false);
        }
        if (writer != null) {
            edges.wrote(writer.jobId(), tableId, request.createdAt() == null ? now : request.createdAt());
        }
        return new Recorded(snapshots.get(inserted.get()), true);
    }

    public record Recorded(Snapshot snapshot, boolean created) {}

    @Transactional(readOnly = true)
    public SnapshotPage history(String tableName, Integer maxResults, String pageToken) {
        Names.lookup(tableName);
        int limit = PageTokens.limit(maxResults);
        String after = PageTokens.after(pageToken);
        Long before;
        try {
            before = after == null ? null : Long.valueOf(after);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "page_token is not a token this service issued.");
        }
        long tableId = tables.findId(tableName).orElseThrow(() -> tableNotFound(tableName));
        List<Snapshot> page = snapshots.history(tableId, before, limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = PageTokens.encode(Long.toString(page.get(limit - 1).snapshotId()));
        }
        return new SnapshotPage(List.copyOf(page), next);
    }

    // The pipeline registers a version the commit outbox already delivered: the run becomes its writer.
    private long adoptVersion(long tableId, Long version, String uri, UUID runId, String tableName) {
        SnapshotRepository.Existing existing =
                snapshots.findVersion(tableId, version, uri).orElseThrow();
        if (runId.equals(existing.runId()) || snapshots.claimWriter(existing.id(), runId)) {
            return existing.id();
        }
        throw ApiException.conflict(
                ErrorCode.ALREADY_EXISTS,
                "Version " + version + " of table '" + tableName + "' was already registered by another run.");
    }

    private static ApiException tableNotFound(String tableName) {
        return ApiException.notFound(ErrorCode.TABLE_NOT_FOUND, "Lineage knows no table '" + tableName + "'.");
    }
}
