package io.deltaplane.lineage.common;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque keyset page tokens: the sort key of the last row handed out, base64url-encoded. */
public final class PageToken {

    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;

    private PageToken() {}

    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key in a token, or null for the first page. */
    public static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCodes.BAD_REQUEST, "page_token is not a token this service issued.");
        }
    }

    public static int pageSize(Integer maxResults) {
        if (maxResults == null) {
            return DEFAULT_PAGE;
        }
        if (maxResults < 1 || maxResults > MAX_PAGE) {
            throw ApiException.badRequest(
                    ErrorCodes.BAD_REQUEST, "max_results must be between 1 and " + MAX_PAGE + ".");
        }
        return maxResults;
    }
}
