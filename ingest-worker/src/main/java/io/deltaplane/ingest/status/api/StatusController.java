package io.deltaplane.ingest.status.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.mapping.api.MappingService;
import io.deltaplane.ingest.sink.SinkTotals.Counts;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.MappingStatus;
import io.deltaplane.ingest.status.WorkerReport;
import io.deltaplane.ingest.status.WorkerStatuses;
import io.deltaplane.ingest.worker.StatusReporter;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/ingest")
public class StatusController {

    private final MappingService mappings;
    private final StatusReporter reporter;
    private final ValidationService validation;

    public StatusController(MappingService mappings, StatusReporter reporter, ValidationService validation) {
        this.mappings = requireNonNull(mappings, "mappings");
        this.reporter = requireNonNull(reporter, "reporter");
        this.validation = requireNonNull(validation, "validation");
    }

    /**
     * State, sink offsets and lag per partition, rows and dead letters, last batch time and duration:
     * every worker's added up ({@link WorkerStatuses}), whichever worker the request reaches, with
     * each worker listed.
     */
    @GetMapping("/mappings/{name}/status")
    public MappingStatus status(@PathVariable String name) {
        StoredMapping mapping = mappings.get(name);
        List<WorkerReport> reports = reporter.reports(name);
        return WorkerStatuses.aggregate(name, reports)
                // Resumed (or enabled) but no worker has picked it up yet: it is starting, not still in
                // the state it had before.
                .map(s -> mapping.shouldRun() && (s.state() == IngestState.PAUSED || s.state() == IngestState.DISABLED)
                        ? s.withState(IngestState.STARTING)
                        : s)
                .orElseGet(() -> notRunning(name, mapping, reports));
    }

    /** No live worker reports the mapping: what it is meant to do, and what was written so far. */
    private static MappingStatus notRunning(String name, StoredMapping mapping, List<WorkerReport> reports) {
        Counts totals = WorkerStatuses.totals(reports);
        return new MappingStatus(
                name,
                mapping.shouldRun()
                        ? IngestState.STARTING
                        : mapping.paused() ? IngestState.PAUSED : IngestState.DISABLED,
                mapping.spec().isDryRun(),
                List.of(),
                null,
                totals.rows(),
                totals.deadLetters(),
                totals.batches(),
                null,
                null,
                null,
                null,
                null,
                false,
                null,
                WorkerStatuses.workers(reports));
    }

    /** Checks every mapping's source and sink with their credentials; a report per mapping. */
    @PostMapping("/validate")
    public ValidationService.Report validate() {
        return validation.validateAll();
    }
}
