package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.db.PlatformSchema;
import io.deltaplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Names became case-insensitive (folded to lower case, as Unity Catalog's are): an installation's
 * mixed-case names are folded by the upgrade, with every row that names them (grants and owners
 * included), and two names that differ only in case stop the upgrade with both named and nothing
 * changed; afterwards a name that is not folded cannot be stored.
 */
class NameFoldingUpgradeTest {

    private static final String BEFORE_FOLDING = "68";

    @Test
    void mixedCaseNamesAreFoldedWithTheRowsThatNameThem() throws SQLException {
        PGSimpleDataSource db = migratedTo(BEFORE_FOLDING);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO metadata.catalogs (name, created_at) VALUES ('Sales', now())");
            s.execute("INSERT INTO metadata.schemas (catalog, name, created_at) VALUES ('Sales', 'EU', now())");
            s.execute(table("Sales", "EU", "Orders", "file:/w/sales/eu/orders"));
            s.execute("INSERT INTO metadata.unity_tables (unity_id, catalog, schema, name, location, staged_at)"
                    + " VALUES (gen_random_uuid(), 'Sales', 'EU', 'Returns', 'file:/w/r', now())");
            s.execute("INSERT INTO platform.principals (name, type, created_at) VALUES ('analysts', 'group', now())");
            s.execute("INSERT INTO platform.grants (securable_type, securable_name, principal, privilege) VALUES"
                    + " ('table', 'Sales.EU.Orders', 'analysts', 'SELECT'),"
                    + " ('table', 'sales.eu.orders', 'analysts', 'SELECT'),"
                    + " ('catalog', 'Sales', 'analysts', 'USE_CATALOG')");
            s.execute("INSERT INTO platform.owners (securable_type, securable_name, owner) VALUES"
                    + " ('schema', 'Sales.EU', 'analysts')");
        }

        migrate(db);

        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT name FROM metadata.catalogs")).containsExactly("sales");
            assertThat(rows(s, "SELECT catalog || '.' || name FROM metadata.schemas"))
                    .containsExactly("sales.eu");
            assertThat(rows(s, "SELECT full_name FROM metadata.tables")).containsExactly("sales.eu.orders");
            assertThat(rows(s, "SELECT catalog || '.' || schema || '.' || name FROM metadata.unity_tables"))
                    .containsExactly("sales.eu.returns");
            assertThat(rows(
                            s,
                            "SELECT securable_type || ' ' || securable_name || ' ' || privilege FROM platform.grants"
                                    + " WHERE principal = 'analysts' ORDER BY 1"))
                    .as("grants folded, the one made twice kept once")
                    .containsExactly("catalog sales USE_CATALOG", "table sales.eu.orders SELECT");
            assertThat(rows(s, "SELECT securable_name FROM platform.owners WHERE owner = 'analysts'"))
                    .containsExactly("sales.eu");
            assertThatThrownBy(() ->
                            s.execute("INSERT INTO metadata.catalogs (name, created_at) VALUES ('Marketing', now())"))
                    .as("a name that is not folded cannot be stored any more (an old replica's insert)")
                    .hasMessageContaining("catalogs_name_folded");
        }
    }

    @Test
    void twoNamesThatDifferOnlyInCaseStopTheUpgradeNamingThem() throws SQLException {
        PGSimpleDataSource db = migratedTo(BEFORE_FOLDING);
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO metadata.catalogs (name, created_at) VALUES ('main', now())");
            s.execute("INSERT INTO metadata.schemas (catalog, name, created_at) VALUES ('main', 's', now())");
            s.execute(table("main", "s", "Orders", "file:/w/1"));
            s.execute(table("main", "s", "ORDERS", "file:/w/2"));
            s.execute("INSERT INTO platform.principals (name, type, created_at) VALUES"
                    + " ('team_a', 'group', now()), ('team_b', 'group', now())");
            s.execute(
                    "INSERT INTO platform.grants (securable_type, securable_name, principal, privilege) VALUES"
                            + " ('table', 'main.s.Orders', 'team_a', 'SELECT'), ('table', 'main.s.ORDERS', 'team_b', 'SELECT')");
        }

        assertThatThrownBy(() -> migrate(db))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("names that differ only in case")
                .hasMessageContaining("main.s.orders");

        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT name FROM metadata.tables ORDER BY name"))
                    .as("nothing changed")
                    .containsExactly("ORDERS", "Orders");
            assertThat(rows(
                            s,
                            "SELECT securable_name FROM platform.grants WHERE securable_name LIKE 'main.s.%'"
                                    + " ORDER BY 1"))
                    .as("the grants of both tables are still their own")
                    .containsExactly("main.s.ORDERS", "main.s.Orders");
        }
    }

    private static String table(String catalog, String schema, String name, String location) {
        return "INSERT INTO metadata.tables (id, catalog, schema, name, location, current_version,"
                + " last_committed_at, partition_columns, created_at, updated_at) VALUES (gen_random_uuid(), '"
                + catalog + "', '" + schema + "', '" + name + "', '" + location + "', 0, now(), '{}', now(), now())";
    }

    private static PGSimpleDataSource migratedTo(String version) {
        PGSimpleDataSource dataSource = TestDatabase.createAnother().dataSource();
        PlatformSchema.migrate(dataSource); // as every service does before its own migrations
        flyway(dataSource).target(version).load().migrate();
        return dataSource;
    }

    private static void migrate(PGSimpleDataSource dataSource) {
        flyway(dataSource).load().migrate();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(PGSimpleDataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas("metadata")
                .defaultSchema("metadata")
                .locations("classpath:db/migration");
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
