package io.deltaplane.support.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The {@code platform} schema every service shares (API keys). Each service migrates it at start-up
 * with its own Flyway instance; Flyway's Postgres lock makes concurrent starts safe.
 */
public final class PlatformSchema {

    public static final String SCHEMA = "platform";

    private PlatformSchema() {}

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(SCHEMA)
                .defaultSchema(SCHEMA)
                .locations("classpath:db/platform")
                .load()
                .migrate();
    }
}
