package io.deltaplane.support.paging;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpStatus;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one paging convention of every list endpoint: {@code max_results} between 1 and
 * {@value #MAX_RESULTS} (default {@value #DEFAULT_RESULTS}), and {@code page_token}s that are
 * opaque and tamper-evident — the cursor, HMAC-SHA256-signed with a key all replicas share
 * ({@code platform.page_token_key}) together with the listing it came from (the request's path and
 * its query parameters but the page's own, {@link #PAGE_PARAMETERS}). A forged, garbled or
 * truncated token, or one from another listing (catalogs' on schemas, one catalog's schemas on
 * another's), is a 400 {@code INVALID_PAGE_TOKEN}, never a query over a cursor the server did not
 * hand out for it.
 *
 * <p>Static access because value-level code in every service encodes cursors; the key is installed
 * once per process at start-up ({@link PageTokenKey#install}).
 */
public final class PageTokens {

    public static final int DEFAULT_RESULTS = 100;
    public static final int MAX_RESULTS = 1000;

    /**
     * The query parameters that choose a page rather than the listing, in every door's spelling:
     * {@code page_token} and {@code max_results} (Unity Catalog's, and the platform's own API),
     * {@code pageToken} and {@code pageSize} (the Iceberg REST catalog's). A token is signed without
     * them, so that the next page's request, which differs from the last only in them, is the same
     * listing; a door that pages under other names adds them here, or its tokens are refused.
     */
    static final Set<String> PAGE_PARAMETERS = Set.of("page_token", "max_results", "pageToken", "pageSize");

    private static final int SIGNATURE_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private static volatile byte[] key;

    private PageTokens() {}

    /** The key all replicas share, read at start-up ({@link PageTokenKey#install}). */
    static void installKey(byte[] shared) {
        key = shared.clone();
    }

    /** For tests of code that pages, without a database. */
    public static void installForTests(byte[] testKey) {
        key = testKey.clone();
    }

    /** {@code max_results}, checked; the default when absent. */
    public static int limit(Integer maxResults) {
        if (maxResults == null) {
            return DEFAULT_RESULTS;
        }
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw ApiException.badRequest(
                    ErrorCode.BAD_REQUEST, "max_results must be between 1 and " + MAX_RESULTS + ".");
        }
        return maxResults;
    }

    /** The token to hand out for a cursor (the sort key of the last item of a page). */
    public static String encode(String cursor) {
        byte[] bytes = cursor.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(bytes) + "." + ENCODER.encodeToString(sign(listing(), bytes));
    }

    /** The cursor of a token, or "" for none (first page). */
    public static String decode(String token) {
        String cursor = after(token);
        return cursor == null ? "" : cursor;
    }

    /** The cursor of a token, or null for none (first page). */
    public static String after(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        int dot = token.indexOf('.');
        try {
            if (dot <= 0 || dot != token.lastIndexOf('.')) {
                throw invalid();
            }
            byte[] cursor = DECODER.decode(token.substring(0, dot));
            byte[] signature = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, sign(listing(), cursor))) {
                throw invalid();
            }
            return new String(cursor, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    /**
     * The listing a token belongs to: the current request's path and its query parameters other
     * than the page's own ({@link #PAGE_PARAMETERS}, by name, with or without a value), sorted;
     * empty outside a request.
     */
    static String listing() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return "";
        }
        HttpServletRequest request = attributes.getRequest();
        String query = request.getQueryString();
        java.util.List<String> parameters = query == null
                ? java.util.List.of()
                : Arrays.stream(query.split("&"))
                        .filter(p -> !p.isEmpty() && !PAGE_PARAMETERS.contains(p.split("=", 2)[0]))
                        .sorted()
                        .toList();
        return request.getRequestURI() + "?" + String.join("&", parameters);
    }

    private static byte[] sign(String listing, byte[] cursor) {
        byte[] current = key;
        if (current == null) {
            throw new IllegalStateException("page-token key not installed (PageTokenKey.install at start-up)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(current, "HmacSHA256"));
            mac.update(listing.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Arrays.copyOf(mac.doFinal(cursor), SIGNATURE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static ApiException invalid() {
        return new ApiException(
                HttpStatus.BAD_REQUEST,
                ErrorCode.INVALID_PAGE_TOKEN,
                "page_token is not a token this service issued; start again without it.");
    }
}
