package io.deltaplane.metadata;

import io.deltaplane.support.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code max_results} / {@code page_token} helpers: tokens are opaque base64 of a cursor string. */
public final class Paging {
    public static final int DEFAULT_MAX_RESULTS = 100;
    public static final int MAX_MAX_RESULTS = 10_000;

    private Paging() {}

    public static int limit(Integer maxResults) {
        if (maxResults == null) {
            return DEFAULT_MAX_RESULTS;
        }
        if (maxResults < 1 || maxResults > MAX_MAX_RESULTS) {
            throw ApiException.badRequest(
                    io.deltaplane.support.problem.ErrorCodes.BAD_REQUEST,
                    "max_results must be between 1 and " + MAX_MAX_RESULTS);
        }
        return maxResults;
    }

    public static String encode(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a token, or "" for none. */
    public static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(MetadataErrors.INVALID_PAGE_TOKEN, "page_token is not valid");
        }
    }
}
