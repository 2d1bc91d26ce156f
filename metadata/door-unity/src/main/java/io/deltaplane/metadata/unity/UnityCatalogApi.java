package io.deltaplane.metadata.unity;

import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.paging.UnityPageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;

/** Where Unity Catalog's API lives, and the conventions its clients expect of it. */
public final class UnityCatalogApi {

    public static final String BASE = "/api/2.1/unity-catalog";
    /** The Delta REST API v1 (kebab-case, its own error shape): {@code io.deltaplane.metadata.unity.delta}. */
    public static final String DELTA_V1 = io.deltaplane.metadata.unity.delta.DeltaRestController.DELTA_V1;

    private UnityCatalogApi() {}

    /**
     * UC clients page with {@code max_results} up to {@code Integer.MAX_VALUE} (Delta's client asks
     * for that): absent or 0 is the default page, larger than ours is clamped, negative is a 400.
     */
    public static int pageSize(Integer maxResults) {
        if (maxResults == null || maxResults == 0) {
            return PageTokens.DEFAULT_RESULTS;
        }
        if (maxResults < 0) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "max_results must not be negative.");
        }
        return Math.min(maxResults, PageTokens.MAX_RESULTS);
    }

    /** A {@code page_token} as UC's clients send it: one of ours, or UC's own kind, a name ({@link UnityPageTokens}). */
    public static String pageToken(String token) {
        return UnityPageTokens.of(token);
    }

    /** UC's timestamps: epoch milliseconds, or null. */
    public static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
