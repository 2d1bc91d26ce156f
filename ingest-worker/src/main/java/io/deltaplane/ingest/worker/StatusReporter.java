package io.deltaplane.ingest.worker;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.config.IngestProperties;
import io.deltaplane.ingest.delta.DeltaSinks;
import io.deltaplane.ingest.sink.SinkTotals;
import io.deltaplane.ingest.sink.SinkTotals.Counts;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.ingest.status.StatusBoard;
import io.deltaplane.ingest.status.WorkerReport;
import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the other workers how this one's mappings are doing: every status interval, each mapping's
 * status here and what this worker wrote in all go on the {@link StatusBoard}, holding for three
 * intervals; so do the other writers' totals whenever this worker has read them from the warehouse
 * anew. Every worker reports its own (no claim: each writes only its rows, and the forgetting of
 * deleted mappings is the same delete on every one). On a clean stop it reports once more and
 * leaves; a worker that dies stops being live three intervals after its last report, and what it
 * wrote since is counted when a worker next reads the warehouse's totals (the rebalance its death
 * causes does). What this class remembers (which totals it already reported) dies with it: the
 * next process reports them again.
 */
@Component
public class StatusReporter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

    private final StatusBoard board;
    private final MappingReconciler reconciler;
    private final IngestProperties properties;
    private final Clock clock;
    private final String worker;
    private final BackgroundLoop loop;
    /** The warehouse totals each mapping's stats held when last reported (reported again when they change). */
    private final Map<String, SinkTotals> reportedTotals = new ConcurrentHashMap<>();

    public StatusReporter(
            StatusBoard board,
            MappingReconciler reconciler,
            DeltaSinks deltaSinks,
            IngestProperties properties,
            MeterRegistry registry,
            Clock clock) {
        this.board = requireNonNull(board, "board");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
        this.worker = deltaSinks.workerId();
        this.loop = BackgroundLoop.named("ingest-status-board")
                .task(this::report)
                .every(properties.statusInterval())
                .metrics(registry)
                .build();
    }

    /** This worker's id: the name its reports go under. */
    public String worker() {
        return worker;
    }

    /** Reports every mapping this worker knows, and forgets the reports on deleted mappings. */
    public void report() {
        Map<String, StatusBoard.Report> reports = new LinkedHashMap<>();
        Map<String, SinkTotals> totalsNow = new HashMap<>();
        reconciler.allStats().forEach((mapping, stats) -> {
            SinkTotals totals = stats.restored();
            totalsNow.put(mapping, totals);
            reports.put(
                    mapping,
                    new StatusBoard.Report(
                            stats.snapshot(),
                            stats.writtenBy(worker),
                            totals.equals(reportedTotals.get(mapping)) ? Map.of() : otherWriters(totals)));
        });
        board.report(worker, reports, liveFor());
        reportedTotals.keySet().retainAll(totalsNow.keySet());
        reportedTotals.putAll(totalsNow);
        board.forgetDeletedMappings();
    }

    /**
     * Every worker's last report on {@code mapping}, this worker's as it is now rather than as it last
     * reported it.
     */
    public List<WorkerReport> reports(String mapping) {
        List<WorkerReport> reports = new ArrayList<>();
        IngestStats own = reconciler.stats(mapping).orElse(null);
        Map<String, Counts> known = own == null ? Map.of() : otherWriters(own.restored());
        for (WorkerReport r : board.reports(mapping)) {
            if (own != null && r.worker().equals(worker)) {
                continue;
            }
            Counts read = known.get(r.worker()); // read from the warehouse since its report: may be ahead
            reports.add(
                    read == null
                            ? r
                            : new WorkerReport(
                                    r.worker(), r.status(), r.written().max(read), r.reportedAt(), r.live()));
        }
        if (own != null) {
            known.forEach((writer, counts) -> {
                if (reports.stream().noneMatch(r -> r.worker().equals(writer))) {
                    reports.add(new WorkerReport(writer, null, counts, null, false));
                }
            });
            reports.add(new WorkerReport(worker, own.snapshot(), own.writtenBy(worker), clock.instant(), true));
        }
        return reports;
    }

    private Map<String, Counts> otherWriters(SinkTotals totals) {
        Map<String, Counts> others = new HashMap<>(totals.byWriter());
        others.remove(worker);
        return others;
    }

    private Duration liveFor() {
        return properties.statusInterval().multipliedBy(3);
    }

    @Override
    public void start() {
        if (properties.workerEnabled()) {
            loop.start();
        }
    }

    /** A last report (the consumers have stopped: their final batches are in), then its reports no longer hold. */
    @Override
    public void stop() {
        if (!loop.isRunning()) {
            return;
        }
        loop.stop(MappingReconciler.STOP_TIMEOUT);
        try {
            report();
            board.leave(worker);
        } catch (RuntimeException e) {
            log.warn("Could not leave the status board; this worker's reports lapse on their own", e);
        }
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Stops after the consumers (the reconciler), so the last report holds their last batches. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2;
    }
}
