package io.deltaplane.cli;

import io.deltaplane.client.AuthException;
import io.deltaplane.client.ConflictException;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.InvalidConfigurationException;
import io.deltaplane.client.InvalidRequestException;
import io.deltaplane.client.NotFoundException;
import io.deltaplane.client.RateLimitedException;
import io.deltaplane.client.TransientNetworkException;

/**
 * What {@code deltaplane} exits with, so scripts can branch on the kind of failure without parsing
 * messages. Documented in docs/cli.md; keep the numbers stable.
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** The server failed (5xx) or something unexpected happened. */
    public static final int FAILED = 1;
    /** The command line itself is wrong (picocli's own usage errors use this code too). */
    public static final int USAGE = 2;
    /** Settings are missing or malformed (URL, API key, a file given with -f). */
    public static final int INVALID_CONFIGURATION = 3;
    /** The named catalog, schema, table, mapping, run or key does not exist. */
    public static final int NOT_FOUND = 4;
    /** Already exists, not empty, or a version conflict. */
    public static final int CONFLICT = 5;
    /** The API key is missing, unknown, revoked, or lacks the scope. */
    public static final int AUTH = 6;
    /** The platform could not be reached, or asked to slow down, even after retries. */
    public static final int UNAVAILABLE = 7;
    /** The request was refused as invalid (400, 422). */
    public static final int INVALID_REQUEST = 8;
    /** A check the command ran found a problem ({@code status}, {@code validate-config}, {@code validate}). */
    public static final int CHECK_FAILED = 9;

    private ExitCodes() {}

    /** The exit code for a failed call, from its kind or, for raw calls, its HTTP status. */
    public static int of(Throwable failure) {
        if (failure instanceof InvalidConfigurationException) {
            return INVALID_CONFIGURATION;
        }
        if (failure instanceof NotFoundException) {
            return NOT_FOUND;
        }
        if (failure instanceof ConflictException) {
            return CONFLICT;
        }
        if (failure instanceof AuthException) {
            return AUTH;
        }
        if (failure instanceof TransientNetworkException || failure instanceof RateLimitedException) {
            return UNAVAILABLE;
        }
        if (failure instanceof InvalidRequestException) {
            return INVALID_REQUEST;
        }
        if (failure instanceof DeltaplaneException e) {
            return ofStatus(e.status());
        }
        return FAILED;
    }

    static int ofStatus(int status) {
        return switch (status) {
            case 0, 429, 502, 503, 504 -> UNAVAILABLE;
            case 400, 413, 415, 422 -> INVALID_REQUEST;
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> FAILED;
        };
    }
}
