package io.deltaplane.support.idempotency;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.http.ReplayedBody;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.Credential;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} on POSTs: a repeat with the same key and body gets the first response
 * (marked {@code Idempotent-Replayed: true}); a repeat with another body is 409
 * {@code IDEMPOTENCY_KEY_REUSED}. Server errors are not remembered, so a retry runs again.
 *
 * <p>A repeat while the first request runs is 409 {@code IDEMPOTENCY_KEY_IN_USE}, for as long as
 * that request's process renews its lease ({@link IdempotencyLeases}). When the process died, the
 * next repeat after the lease takes the key over: if the first request had landed a commit (recorded
 * by the commit itself, under the claim's token: {@link IdempotentRequests}), the service answers
 * from it ({@link LandedAnswers}); otherwise the request runs again.
 */
public final class IdempotencyFilter extends OncePerRequestFilter {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotencyStore store;
    private final IdempotencyLeases leases;
    private final LandedAnswers landedAnswers;
    private final HandlerExceptionResolver problemRenderer;

    public IdempotencyFilter(
            IdempotencyStore store,
            IdempotencyLeases leases,
            LandedAnswers landedAnswers,
            HandlerExceptionResolver problemRenderer) {
        this.store = requireNonNull(store, "store");
        this.leases = requireNonNull(leases, "leases");
        this.landedAnswers = requireNonNull(landedAnswers, "landedAnswers");
        this.problemRenderer = requireNonNull(problemRenderer, "problemRenderer");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (!IdempotencyKeyFormat.isValid(key)) {
            // IdempotencyKeyFormat answers first where it is registered; this filter never stores such a key.
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        String scope = callerOf(request) + " " + request.getRequestURI();
        IdempotencyStore.Claim claim = store.claim(scope, key, sha256(body));
        if (claim instanceof IdempotencyStore.Claim.Replay replay) {
            replay(response, replay.response());
        } else if (claim instanceof IdempotencyStore.Claim.Mismatch) {
            reject(
                    request,
                    response,
                    HttpStatus.CONFLICT,
                    ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used with a different request body.");
        } else if (claim instanceof IdempotencyStore.Claim.InProgress) {
            reject(
                    request,
                    response,
                    HttpStatus.CONFLICT,
                    ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    "A request with this Idempotency-Key is still being processed; retry shortly.");
        } else {
            IdempotencyStore.Claim.Fresh fresh = (IdempotencyStore.Claim.Fresh) claim;
            Optional<StoredResponse> landed =
                    fresh.landed().flatMap(outcome -> landedAnswers.answer(new ReplayedBody(request, body), outcome));
            if (landed.isPresent()) {
                // the first request's process died after its commit landed: its answer, from what landed
                store.complete(scope, key, fresh.token(), landed.get());
                replay(response, landed.get());
            } else {
                runFirst(request, response, chain, scope, key, fresh.token(), body);
            }
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private void runFirst(
            HttpServletRequest request,
            HttpServletResponse response,
            FilterChain chain,
            String scope,
            String key,
            UUID token,
            byte[] body)
            throws ServletException, IOException {
        ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
        boolean remembered = false;
        leases.hold(token);
        UUID outer = IdempotentRequests.restore(token);
        try {
            chain.doFilter(new ReplayedBody(request, body), recorded);
            // a response marked no-store (vended credentials) is never kept for a replay
            String cacheControl = recorded.getHeader(HttpHeaders.CACHE_CONTROL);
            if (recorded.getStatus() < 500 && (cacheControl == null || !cacheControl.contains("no-store"))) {
                store.complete(
                        scope,
                        key,
                        token,
                        new StoredResponse(
                                recorded.getStatus(),
                                recorded.getContentType(),
                                recorded.getHeader(HttpHeaders.LOCATION),
                                recorded.getContentAsByteArray()));
                remembered = true;
            }
        } finally {
            IdempotentRequests.restore(outer);
            leases.drop(token);
            if (!remembered) {
                store.release(scope, key, token);
            }
            recorded.copyBodyToResponse();
        }
    }

    private static void replay(HttpServletResponse response, StoredResponse stored) throws IOException {
        response.setStatus(stored.status());
        if (stored.contentType() != null) {
            response.setContentType(stored.contentType());
        }
        if (stored.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, stored.location());
        }
        response.setHeader(REPLAYED_HEADER, "true");
        byte[] body = stored.body() == null ? new byte[0] : stored.body();
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private void reject(
            HttpServletRequest request,
            HttpServletResponse response,
            HttpStatus status,
            ErrorCode code,
            String detail) {
        problemRenderer.resolveException(request, response, null, new ApiException(status, code, detail));
    }

    private static String callerOf(HttpServletRequest request) {
        return ApiKeyRequests.credential(request).map(Credential::callerId).orElse("anonymous");
    }
}
