package io.deltaplane.ingest.status.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.mapping.api.MappingService;
import io.deltaplane.ingest.status.IngestState;
import io.deltaplane.ingest.status.IngestStats;
import io.deltaplane.ingest.status.MappingStatus;
import io.deltaplane.ingest.worker.MappingReconciler;
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
    private final MappingReconciler reconciler;
    private final ValidationService validation;

    public StatusController(MappingService mappings, MappingReconciler reconciler, ValidationService validation) {
        this.mappings = requireNonNull(mappings, "mappings");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.validation = requireNonNull(validation, "validation");
    }

    /** State, sink offsets and lag per partition, rows and dead letters, last batch time and duration. */
    @GetMapping("/mappings/{name}/status")
    public MappingStatus status(@PathVariable String name) {
        StoredMapping mapping = mappings.get(name);
        return reconciler
                .stats(name)
                .map(IngestStats::snapshot)
                // Resumed (or enabled) but the reconciler has not picked it up yet: it is starting,
                // not still in the state it had before.
                .map(s -> mapping.shouldRun() && (s.state() == IngestState.PAUSED || s.state() == IngestState.DISABLED)
                        ? s.withState(IngestState.STARTING)
                        : s)
                .orElseGet(() -> new MappingStatus(
                        name,
                        mapping.shouldRun()
                                ? IngestState.STARTING
                                : mapping.paused() ? IngestState.PAUSED : IngestState.DISABLED,
                        mapping.spec().isDryRun(),
                        List.of(),
                        null,
                        0,
                        0,
                        0,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        null));
    }

    /** Checks every mapping's source and sink with their credentials; a report per mapping. */
    @PostMapping("/validate")
    public ValidationService.Report validate() {
        return validation.validateAll();
    }
}
