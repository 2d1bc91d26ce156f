package io.deltaplane.lineage.run;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.loop.BackgroundLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Every {@code deltaplane.runs.sweep-interval}: silent runs become ABANDONED. */
@Component
public class RunSweeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunSweeper.class);

    private final RunService runs;
    private final BackgroundLoop loop;

    public RunSweeper(RunService runs, RunProperties properties, ObjectProvider<MeterRegistry> registry) {
        this.runs = requireNonNull(runs, "runs");
        this.loop = BackgroundLoop.named("run-sweeper")
                .task(this::sweep)
                .every(properties.sweepInterval())
                .initialDelay(properties.sweepInterval())
                .metrics(registry.getIfAvailable())
                .build();
    }

    void sweep() {
        int abandoned = runs.abandonSilentRuns();
        if (abandoned > 0) {
            log.info("Marked {} silent run(s) ABANDONED", abandoned);
        }
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
