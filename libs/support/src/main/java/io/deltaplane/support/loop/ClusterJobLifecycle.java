package io.deltaplane.support.loop;

import static java.util.Objects.requireNonNull;

/**
 * A {@link LoopLifecycle} whose loop works for the whole cluster rather than for this process's own
 * requests: it starts only in a process whose {@link ProcessRole} runs background jobs.
 */
public abstract class ClusterJobLifecycle extends LoopLifecycle {

    private final ProcessRole role;

    protected ClusterJobLifecycle(ProcessRole role) {
        this.role = requireNonNull(role, "role");
    }

    @Override
    public void start() {
        if (role.backgroundJobs()) {
            super.start();
        }
    }
}
