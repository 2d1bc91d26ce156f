package io.deltaplane.support.paging;

import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;

/**
 * Unity Catalog's own page tokens are the last name listed, and its tests and some of its clients
 * pass one back. On Unity Catalog's lists a {@code page_token} that is a name (names have no dot;
 * {@link PageTokens}' signed tokens always do) continues after that name, exactly as the token the
 * server handed out for it would. Anything else is left to be checked as the platform's own token
 * (400 INVALID_PAGE_TOKEN when it is not one). A name says nothing a listing does not: what follows
 * it is still filtered by the caller's grants.
 */
public final class UnityPageTokens {

    private UnityPageTokens() {}

    /** The platform's token for {@code token}: itself, or, for a name, the token continuing after it. */
    public static String of(String token) {
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
}
