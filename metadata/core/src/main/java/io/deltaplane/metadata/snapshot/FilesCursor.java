package io.deltaplane.metadata.snapshot;

import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.function.LongSupplier;

/**
 * Where a page of a snapshot's files starts: the version (pinned by the first page, so later pages
 * list the same snapshot) and the last path already listed.
 */
record FilesCursor(long version, String afterPath) {

    /** The cursor a {@code page_token} names, or the first page of {@code firstVersion}'s files. */
    static FilesCursor of(String pageToken, Long requestedVersion, LongSupplier firstVersion) {
        String cursor = PageTokens.decode(pageToken);
        if (cursor.isEmpty()) {
            return new FilesCursor(firstVersion.getAsLong(), "");
        }
        int newline = cursor.indexOf('\n');
        long version;
        try {
            version = Long.parseLong(cursor.substring(0, newline));
        } catch (RuntimeException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGE_TOKEN, "page_token is not valid");
        }
        if (requestedVersion != null && requestedVersion != version) {
            throw ApiException.badRequest(ErrorCode.INVALID_PAGE_TOKEN, "page_token belongs to version " + version);
        }
        return new FilesCursor(version, cursor.substring(newline + 1));
    }

    /** The token of the page after the one that ended with {@code lastPath}. */
    String next(String lastPath) {
        return PageTokens.encode(version + "\n" + lastPath);
    }
}
