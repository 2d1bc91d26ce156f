package io.deltaplane.lineage.run;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** Every {@code deltaplane.runs.sweep-interval}: silent runs become ABANDONED. */
@Component
public class RunSweeper implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(RunSweeper.class);

    private final RunService runs;
    private final RunProperties properties;

    public RunSweeper(RunService runs, RunProperties properties) {
        this.runs = requireNonNull(runs, "runs");
        this.properties = requireNonNull(properties, "properties");
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweep, properties.sweepInterval());
    }

    void sweep() {
        try {
            int abandoned = runs.abandonSilentRuns();
            if (abandoned > 0) {
                log.info("Marked {} silent run(s) ABANDONED", abandoned);
            }
        } catch (RuntimeException e) {
            // The next sweep tries again; a failed sweep must not stop the schedule.
            log.warn("Run sweep failed: {}", e.toString());
        }
    }
}
