package io.deltaplane.metadata.unity;

import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
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

    /**
     * A {@code page_token} as UC's clients send it. Unity Catalog's own tokens are the last name
     * listed, and its tests and some clients pass one back: a token that is a name (names have no
     * dot; the platform's signed tokens always do) continues after that name, exactly as the token
     * this server handed out for it would. Anything else is checked as the platform's own token
     * (400 INVALID_PAGE_TOKEN when it is not one). A name says nothing a listing does not: what
     * follows it is still filtered by the caller's grants.
     */
    public static String pageToken(String token) {
        if (token == null || token.isEmpty() || token.indexOf('.') >= 0) {
            return token;
        }
        String name;
        try {
            name = Names.part("page_token", token);
        } catch (ApiException e) {
            return token; // not a name either: refused as a garbled token
        }
        return PageTokens.encode(name);
    }

    /** UC's timestamps: epoch milliseconds, or null. */
    public static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
