package io.deltaplane.support.idempotency;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Answers a request whose key is taken over after its first request's process died, where that
 * request had already landed what it was sent for ({@code landed}, as its commit recorded it): the
 * service builds the answer the first request would have given. Empty: run the request again.
 */
@FunctionalInterface
public interface LandedAnswers {

    LandedAnswers NONE = (request, landed) -> Optional.empty();

    Optional<StoredResponse> answer(HttpServletRequest request, String landed);
}
