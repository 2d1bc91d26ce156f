package io.deltaplane.support.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An installation from before principals keeps every key working with the same reach: upgraded,
 * each key acts for a service principal of its own in the group its scope maps to, and the
 * bootstrap admin key for the built-in admin, a metastore admin.
 */
class PlatformSchemaUpgradeTest {

    @Test
    void existingKeysBecomePrincipalsInTheGroupsTheirScopesMapTo() throws SQLException {
        TestDatabase db = TestDatabase.createAnother();
        PGSimpleDataSource dataSource = migratedTo(db, "3");
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO platform.api_keys (id, name, key_prefix, scope, key_hash, created_at) VALUES"
                    + " ('key_r', 'reader', 'dp_r', 'read', '\\x01', now()),"
                    + " ('key_w', 'writer', 'dp_w', 'write', '\\x02', now()),"
                    + " ('key_a', 'operator', 'dp_a', 'admin', '\\x03', now()),"
                    + " ('bootstrap-admin', 'bootstrap admin', 'dp_b', 'admin', '\\x04', now())");
        }

        PlatformSchema.migrate(dataSource);

        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT id || '->' || principal FROM platform.api_keys ORDER BY id"))
                    .containsExactly("bootstrap-admin->admin", "key_a->key_a", "key_r->key_r", "key_w->key_w");
            assertThat(rows(s, "SELECT member || ' in ' || group_name FROM platform.group_members ORDER BY member"))
                    .containsExactly(
                            "admin in metastore_admins",
                            "key_a in metastore_admins",
                            "key_r in legacy_readers",
                            "key_w in legacy_writers");
            assertThat(rows(s, "SELECT type FROM platform.principals WHERE name = 'key_r'"))
                    .containsExactly("service_principal");
            assertThat(rows(s, "SELECT owner FROM platform.owners WHERE securable_type = 'metastore'"))
                    .containsExactly("metastore_admins");
            assertThat(rows(
                            s,
                            "SELECT principal || ':' || privilege FROM platform.grants"
                                    + " WHERE securable_type = 'metastore' ORDER BY 1"))
                    .containsExactly(
                            "legacy_readers:SELECT",
                            "legacy_readers:USE_CATALOG",
                            "legacy_readers:USE_SCHEMA",
                            "legacy_writers:ALL_PRIVILEGES",
                            "legacy_writers:CREATE_CATALOG",
                            "legacy_writers:CREATE_INGEST_MAPPING",
                            "legacy_writers:MANAGE");
        }
    }

    /** The platform schema of {@code db} as the release with migration {@code target} left it. */
    private static PGSimpleDataSource migratedTo(TestDatabase db, String target) {
        PGSimpleDataSource dataSource = db.dataSource();
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(PlatformSchema.SCHEMA)
                .defaultSchema(PlatformSchema.SCHEMA)
                .locations("classpath:db/platform")
                .target(target)
                .load()
                .migrate();
        return dataSource;
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
