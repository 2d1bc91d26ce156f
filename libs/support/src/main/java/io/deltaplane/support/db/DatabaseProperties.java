package io.deltaplane.support.db;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The shared Postgres metadata store ({@code deltaplane.db.*}, from {@code DELTAPLANE_DB_URL},
 * {@code DELTAPLANE_DB_USER}, {@code DELTAPLANE_DB_PASSWORD}).
 *
 * @param url JDBC URL of the database (created if missing when {@code createIfMissing})
 * @param schema the schema this service owns; its Flyway migrations and unqualified SQL live there
 * @param maxPoolSize connections in this service's pool
 * @param connectTimeout how long to wait for Postgres before giving up at start-up
 * @param minIdle connections the pool keeps open while idle ({@code DELTAPLANE_DB_MIN_IDLE}; unset:
 *     {@code maxPoolSize}, a fixed-size pool as HikariCP recommends); the tests set 1, as many app
 *     contexts share one Postgres there
 * @param idleTimeout how long a connection above {@code minIdle} may sit idle before it is closed
 */
@Validated
@ConfigurationProperties("deltaplane.db")
public record DatabaseProperties(
        @NotBlank
        @Pattern(
                regexp = "jdbc:postgresql://.+/[A-Za-z0-9_]+(\\?.*)?",
                message = "must look like jdbc:postgresql://host:port/database")
        String url,

        @NotBlank String user,
        @DefaultValue("") String password,
        @NotBlank @Pattern(regexp = "[a-z_][a-z0-9_]*") String schema,
        @DefaultValue("10") @Min(1) int maxPoolSize,
        @DefaultValue("true") boolean createIfMissing,
        @DefaultValue("5s") @NotNull Duration connectTimeout,
        @Min(0) Integer minIdle,
        @DefaultValue("10m") @NotNull Duration idleTimeout) {

    /** {@link #minIdle()}, or the whole pool when unset. */
    public int minimumIdle() {
        return minIdle == null ? maxPoolSize : Math.min(minIdle, maxPoolSize);
    }

    @Override
    public String toString() {
        // The password never reaches a log line.
        return "DatabaseProperties[url=" + url + ", user=" + user + ", schema=" + schema + ", maxPoolSize="
                + maxPoolSize + "]";
    }
}
