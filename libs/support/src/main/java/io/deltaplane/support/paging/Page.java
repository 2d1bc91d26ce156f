package io.deltaplane.support.paging;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing in name order, and the token that continues it (null on the last page):
 * what every door's list call answers, each in its own shape.
 */
public record Page<T>(List<T> items, String nextPageToken) {

    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page of {@code limit} items out of {@code fetched} (up to {@code limit + 1}, read to know
     * whether more follow); the token names the last item shown by its {@code cursor}.
     */
    public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursor) {
        String next = fetched.size() > limit ? PageTokens.encode(cursor.apply(fetched.get(limit - 1))) : null;
        return new Page<>(fetched.subList(0, Math.min(limit, fetched.size())), next);
    }

    /** The same page with each item in another shape. */
    public <R> Page<R> map(Function<T, R> shape) {
        return new Page<>(items.stream().map(shape).toList(), nextPageToken);
    }
}
