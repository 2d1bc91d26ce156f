package io.deltaplane.support.idempotency;

import java.util.UUID;

/**
 * The token of the {@code Idempotency-Key} claim the request on this thread runs under, or null: a
 * service that commits under it records the outcome in the commit's own statement (metadata-service's
 * commits: the {@code platform.idempotency_keys.landed} column), so a retry that takes the key over
 * after this process died is answered from it. Set by {@link IdempotencyFilter} around the request;
 * work handed to another thread carries it over as the request id is ({@link #restore}).
 */
public final class IdempotentRequests {

    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private IdempotentRequests() {}

    /** The token of this thread's claim, or null outside a request sent with a key. */
    public static UUID currentToken() {
        return CURRENT.get();
    }

    /** Puts back the token this thread had before ({@code null}: none); returns the one it replaces. */
    public static UUID restore(UUID token) {
        UUID previous = CURRENT.get();
        if (token == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(token);
        }
        return previous;
    }
}
