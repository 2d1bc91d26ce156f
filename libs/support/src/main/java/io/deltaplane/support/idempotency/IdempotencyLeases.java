package io.deltaplane.support.idempotency;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.LoopLifecycle;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The idempotency keys this process's requests hold, their leases renewed every third of a lease
 * while the requests run. In memory only: when the process dies the renewals stop, and each key
 * it held is taken over by the next request with it once its lease has run out.
 */
public class IdempotencyLeases extends LoopLifecycle {

    private final IdempotencyStore store;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final BackgroundLoop loop;

    public IdempotencyLeases(IdempotencyStore store) {
        this.store = requireNonNull(store, "store");
        this.loop = BackgroundLoop.named("idempotency-leases")
                .task(this::renew)
                .every(store.lease().dividedBy(3))
                .build();
    }

    /** A request of this process holds the claim under {@code token}: its lease is renewed until {@link #drop}. */
    public void hold(UUID token) {
        held.add(token);
    }

    public void drop(UUID token) {
        held.remove(token);
    }

    /** Extends every lease this process holds; a round of the loop. */
    public void renew() {
        store.renew(List.copyOf(held));
    }

    @Override
    protected BackgroundLoop loop() {
        return loop;
    }

    @Override
    protected boolean enabled() {
        return true;
    }

    /**
     * Stops after the web server (graceful shutdown drains its requests first, phase {@code
     * DEFAULT_PHASE - 1024}, and the server stops at {@code - 2048}): the requests still running keep
     * their keys until they are answered.
     */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }
}
