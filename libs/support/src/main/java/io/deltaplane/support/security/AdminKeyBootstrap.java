package io.deltaplane.support.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/** Registers {@code DELTAPLANE_ADMIN_API_KEY} as an admin key at start-up (never logging it). */
public final class AdminKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminKeyBootstrap.class);

    private final ApiKeyStore store;
    private final SecurityProperties properties;

    public AdminKeyBootstrap(ApiKeyStore store, SecurityProperties properties) {
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        String key = properties.adminApiKey();
        if (key == null || key.isBlank()) {
            log.info("DELTAPLANE_ADMIN_API_KEY is not set: no bootstrap admin key registered");
            return;
        }
        if (key.length() < 16) {
            throw new IllegalStateException("DELTAPLANE_ADMIN_API_KEY must be at least 16 characters long");
        }
        store.ensureBootstrapAdmin(key);
        log.info("Bootstrap admin API key registered (prefix {})", ApiKeyHashing.displayPrefix(key));
    }
}
