package io.deltaplane.support.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * One Postgres database for the platform, one schema per service: the pool's search path is the
 * service's schema, and Flyway migrates that schema from {@code classpath:db/migration}.
 */
@AutoConfiguration(before = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class})
@EnableConfigurationProperties(DatabaseProperties.class)
public class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(DatabaseProperties db) {
        DatabaseCreator.ensureExists(db);
        HikariConfig config = new HikariConfig();
        config.setPoolName("deltaplane-" + db.schema());
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setPassword(db.password());
        config.setSchema(db.schema());
        config.setMaximumPoolSize(db.maxPoolSize());
        config.setMinimumIdle(db.minimumIdle());
        config.setIdleTimeout(db.idleTimeout().toMillis());
        config.setConnectionTimeout(db.connectTimeout().toMillis());
        HikariDataSource dataSource = new HikariDataSource(config);
        PlatformSchema.migrate(dataSource);
        io.deltaplane.support.paging.PageTokenKey.install(
                org.springframework.jdbc.core.simple.JdbcClient.create(dataSource));
        return dataSource;
    }

    @Bean
    public FlywayConfigurationCustomizer serviceSchemaFlyway(DatabaseProperties db) {
        return flyway -> flyway.schemas(db.schema()).defaultSchema(db.schema());
    }

    /** The platform-wide background passes of this service, run by one replica per interval. */
    @Bean
    public io.deltaplane.support.loop.ClusterPasses clusterPasses(
            javax.sql.DataSource dataSource, Clock clock, DatabaseProperties db) {
        return new io.deltaplane.support.loop.ClusterPasses(
                org.springframework.jdbc.core.simple.JdbcClient.create(dataSource), clock, db.schema());
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
