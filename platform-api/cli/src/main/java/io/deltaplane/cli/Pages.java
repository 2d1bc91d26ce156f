package io.deltaplane.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Follows {@code next_page_token} to the end, as the clients' {@code list()} calls do. */
final class Pages {

    private Pages() {}

    /** One page of a generated list call: asked for with the previous page's token ({@code null} first). */
    interface PageCall<P> {
        P page(String pageToken);
    }

    /**
     * Every item across the pages, up to {@code limit} items.
     *
     * @param call one page, given the token of the one before
     * @param items the page's items
     * @param next the page's {@code next_page_token} ({@code null} or empty on the last)
     */
    static <P, T> List<T> all(PageCall<P> call, Function<P, List<T>> items, Function<P, String> next, int limit) {
        List<T> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = null;
        do {
            P page = call.page(token);
            for (T item : items.apply(page)) {
                if (all.size() >= limit) {
                    return all;
                }
                all.add(item);
            }
            token = next.apply(page);
            if (token != null && !seen.add(token)) {
                throw new IllegalStateException("the server repeated page token " + token);
            }
        } while (token != null && !token.isEmpty());
        return all;
    }
}
