package io.deltaplane.metadata.commit;

import io.deltaplane.support.idempotency.IdempotentRequests;
import io.deltaplane.support.request.RequestIds;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What work done for a request on another thread (a group commit's writer) must carry from the
 * request's own: its id, which the outbox rows name, and its {@code Idempotency-Key} claim's token,
 * under which its commit records its outcome.
 */
record CarriedRequest(String requestId, UUID idempotencyToken) {

    /** The request on this thread. */
    static CarriedRequest current() {
        return new CarriedRequest(RequestIds.current(), IdempotentRequests.currentToken());
    }

    /** Runs {@code work} as this request, then puts back what the running thread had. */
    <T> T runAs(Supplier<T> work) {
        String previousId = RequestIds.current();
        RequestIds.restore(requestId);
        UUID previousToken = IdempotentRequests.restore(idempotencyToken);
        try {
            return work.get();
        } finally {
            RequestIds.restore(previousId);
            IdempotentRequests.restore(previousToken);
        }
    }
}
