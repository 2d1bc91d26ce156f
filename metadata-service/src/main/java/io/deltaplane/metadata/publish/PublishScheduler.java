package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the publisher (woken by local commits, else polling), the checkpointer, the periodic
 * reconciler and the lag gauges on their own threads, so a slow checkpoint never delays a commit
 * file. {@code deltaplane.publish.enabled=false} leaves them stopped; commits still queue.
 */
@Component
public class PublishScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PublishScheduler.class);
    private static final long GAUGE_REFRESH_MILLIS = 1000;

    private final DeltaLogPublisher publisher;
    private final Checkpointer checkpointer;
    private final Reconciler reconciler;
    private final PublishRepository repository;
    private final PublishMetrics metrics;
    private final PublishWakeup wakeup;
    private final PublishProperties properties;
    private final Clock clock;
    private volatile ScheduledExecutorService executor;
    private volatile List<Thread> publisherThreads = List.of();

    public PublishScheduler(
            DeltaLogPublisher publisher,
            Checkpointer checkpointer,
            Reconciler reconciler,
            PublishRepository repository,
            PublishMetrics metrics,
            PublishWakeup wakeup,
            PublishProperties properties,
            Clock clock) {
        this.publisher = requireNonNull(publisher, "publisher");
        this.checkpointer = requireNonNull(checkpointer, "checkpointer");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.repository = requireNonNull(repository, "repository");
        this.metrics = requireNonNull(metrics, "metrics");
        this.wakeup = requireNonNull(wakeup, "wakeup");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        long poll = Math.max(1, properties.pollInterval().toMillis());
        long reconcile = Math.max(1, properties.reconcileInterval().toMillis());
        ScheduledExecutorService scheduled = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "delta-log-maintenance");
            t.setDaemon(true);
            return t;
        });
        scheduled.scheduleWithFixedDelay(guard("checkpointer", checkpointer::drain), poll, poll, TimeUnit.MILLISECONDS);
        scheduled.scheduleWithFixedDelay(
                guard("reconciler", reconciler::reconcileAll), reconcile, reconcile, TimeUnit.MILLISECONDS);
        scheduled.scheduleWithFixedDelay(
                guard(
                        "lag gauges",
                        () -> metrics.refreshLag(repository.mostLagging(properties.lagGaugeTables()), clock.instant())),
                0,
                GAUGE_REFRESH_MILLIS,
                TimeUnit.MILLISECONDS);
        executor = scheduled;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < properties.workers(); i++) {
            Thread thread = new Thread(() -> publishLoop(poll), "delta-log-publisher-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        publisherThreads = List.copyOf(threads);
        threads.forEach(Thread::start);
        log.info(
                "Publishing to _delta_log with {} workers, polling every {} ms, checkpoint every {} versions",
                properties.workers(),
                poll,
                properties.checkpointInterval());
    }

    private void publishLoop(long pollMillis) {
        long seen = wakeup.generation();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (publisher.drain() > 0) {
                    wakeup.signal(); // there may be more tables due: bring in another worker
                }
                seen = wakeup.await(seen, pollMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("Publisher round failed; retrying after {} ms", pollMillis, e);
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} round failed", what, e);
            }
        };
    }

    @Override
    public synchronized void stop() {
        List<Thread> threads = publisherThreads;
        ScheduledExecutorService scheduled = executor;
        publisherThreads = List.of();
        executor = null;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (scheduled != null) {
            scheduled.shutdownNow();
            try {
                scheduled.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return !publisherThreads.isEmpty();
    }

    @Override
    public boolean isAutoStartup() {
        return properties.enabled();
    }
}
