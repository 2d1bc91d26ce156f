package io.deltaplane.client;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a paged list endpoint to the end: asks for the first page, then for the next while the
 * answer has a {@code next_page_token}. Each page is its own retried idempotent call with its own
 * request id, so a failure retries only that page.
 */
final class Paging {

    /** Items asked for per page: the largest every paged endpoint accepts (lineage-service caps at 1000). */
    public static final int PAGE_SIZE = 1000;

    /** One page of a generated list operation, given the token (null for the first) and the headers. */
    @FunctionalInterface
    public interface PageCall<P> {
        P call(String pageToken, Map<String, String> headers) throws Exception;
    }

    private Paging() {}

    /**
     * All items of the list, in the server's order.
     *
     * @throws DeltaplaneException when the server hands out a token it gave before (it would never end)
     */
    public static <P, T> List<T> all(
            Calls calls, PageCall<P> page, Function<P, List<T>> items, Function<P, String> nextToken) {
        requireNonNull(calls, "calls");
        requireNonNull(page, "page");
        requireNonNull(items, "items");
        requireNonNull(nextToken, "nextToken");
        List<T> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = null;
        while (true) {
            String asked = token;
            String[] requestId = new String[1];
            P answer = calls.idempotent(h -> {
                requestId[0] = h.get(Calls.REQUEST_ID);
                return page.call(asked, h);
            });
            List<T> found = items.apply(answer);
            if (found != null) {
                all.addAll(found);
            }
            token = nextToken.apply(answer);
            if (token == null || token.isEmpty()) {
                return all;
            }
            if (!seen.add(token)) {
                throw new DeltaplaneException(
                        "The server repeated page token " + token + " after " + all.size()
                                + " items; stopped instead of reading the list forever",
                        0,
                        null,
                        requestId[0],
                        null,
                        null);
            }
        }
    }
}
