package io.deltaplane.support.loop;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * A component whose work is one {@link BackgroundLoop}: started with the application context when
 * its setting enables it, stopped with the context (a round under way gets {@link #STOP_TIMEOUT} to
 * finish).
 */
public abstract class LoopLifecycle implements SmartLifecycle {

    /** How long stopping waits for a round under way. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** The loop that does the work. */
    protected abstract BackgroundLoop loop();

    /** Whether it runs on this instance (read when the context starts). */
    protected abstract boolean enabled();

    @Override
    public void start() {
        if (enabled()) {
            loop().start();
        }
    }

    @Override
    public void stop() {
        loop().stop(STOP_TIMEOUT);
    }

    @Override
    public boolean isRunning() {
        return loop().isRunning();
    }
}
