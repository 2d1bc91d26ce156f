package io.deltaplane.lineage.health;

import static java.util.Objects.requireNonNull;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/jobs/{jobName}/health}: whether the job's runs fail, run long or are overdue. */
@RestController
public class JobHealthController {

    private final JobHealthService health;

    public JobHealthController(JobHealthService health) {
        this.health = requireNonNull(health, "health");
    }

    @GetMapping("/api/v1/jobs/{jobName}/health")
    public JobHealth health(@PathVariable String jobName) {
        return health.of(jobName);
    }
}
