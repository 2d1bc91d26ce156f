package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.HashSet;
import java.util.Set;

/** Follows {@code next_page_token} to the end, as the clients' {@code list()} calls do. */
final class Pages {

    private Pages() {}

    /**
     * Every item of {@code field} across the pages of {@code path} (which has no query, or one that
     * {@code &page_token=} can extend), up to {@code limit} items.
     */
    static ArrayNode all(PlatformHttp http, ArrayNode into, String path, String field, int limit) {
        String separator = path.contains("?") ? "&" : "?";
        Set<String> seen = new HashSet<>();
        String token = null;
        do {
            JsonNode page =
                    http.get(token == null ? path : path + separator + "page_token=" + CliCommand.encode(token));
            for (JsonNode item : page.path(field)) {
                if (into.size() >= limit) {
                    return into;
                }
                into.add(item);
            }
            token = page.path("next_page_token").asText(null);
            if (token != null && !seen.add(token)) {
                throw new IllegalStateException("the server repeated page token " + token);
            }
        } while (token != null && !token.isEmpty());
        return into;
    }
}
