package io.deltaplane.client;

/**
 * No answer arrived: connection refused or reset, timeout. Retried automatically (with backoff)
 * before it reaches you; the request may or may not have been applied, which is why the client
 * sends an {@code Idempotency-Key} with every POST that creates or changes something.
 */
public class TransientNetworkException extends DeltaplaneException {
    public TransientNetworkException(String message, String requestId, Throwable cause) {
        super(message, 0, null, requestId, null, cause);
    }
}
