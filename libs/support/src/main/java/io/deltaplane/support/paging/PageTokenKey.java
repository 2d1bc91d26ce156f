package io.deltaplane.support.paging;

import java.security.SecureRandom;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The key {@link PageTokens} signs with, shared by every replica through Postgres ({@code
 * platform.page_token_key}): read once per process at start-up, made by the first service that
 * finds none. Kept apart from {@link PageTokens} so that the code that pages reaches no SQL.
 */
public final class PageTokenKey {

    static final String READ_KEY = "SELECT key FROM platform.page_token_key WHERE id = 1";
    static final String CREATE_KEY =
            "INSERT INTO platform.page_token_key (id, key) VALUES (1, ?) ON CONFLICT DO NOTHING";

    private PageTokenKey() {}

    /** Reads the shared key, making it first if no service has yet. */
    public static void install(JdbcClient jdbc) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        jdbc.sql(CREATE_KEY).param(fresh).update();
        PageTokens.installKey(jdbc.sql(READ_KEY).query(byte[].class).single());
    }
}
