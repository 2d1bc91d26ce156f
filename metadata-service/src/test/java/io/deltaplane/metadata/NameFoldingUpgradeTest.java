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
 * mixed-case names are folded by the upgrade, with every row that names them — grants and owners,
 * stagings (two that now share a name keep the older), publish state, the lineage and maintenance
 * run outboxes, dropped locations, health incidents, webhook catalog filters, external locations —
 * and two names that differ only in case stop the upgrade with both named and nothing changed;
 * afterwards a name that is not folded cannot be stored.
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
            // the other rows that name a table, a catalog or a location
            s.execute("INSERT INTO metadata.publish_state (table_id, full_name, location)"
                    + " SELECT id, full_name, location FROM metadata.tables");
            s.execute("INSERT INTO metadata.lineage_outbox (table_id, full_name, location, version, committed_at,"
                    + " next_attempt_at, created_at) SELECT id, full_name, location, 0, now(), now(), now()"
                    + " FROM metadata.tables");
            s.execute("INSERT INTO metadata.maintenance_run_outbox (run_id, full_name, operation, run_trigger,"
                    + " started_at, ended_at, figures, next_attempt_at, created_at) VALUES (gen_random_uuid(),"
                    + " 'Sales.EU.Orders', 'OPTIMIZE', 'AUTO', now(), now(), '{}', now(), now())");
            s.execute("INSERT INTO metadata.dropped_locations (location, table_id, full_name, dropped_at)"
                    + " VALUES ('file:/w/sales/eu/old', gen_random_uuid(), 'Sales.EU.Old', now())");
            s.execute("INSERT INTO metadata.health_incidents (id, table_id, table_name, catalog, kind, status,"
                    + " opened_at, updated_at, staleness_seconds, allowed_silence_seconds, expectation)"
                    + " SELECT gen_random_uuid(), id, full_name, catalog, 'TABLE_LATE', 'OPEN', now(), now(), 1, 1,"
                    + " 'set' FROM metadata.tables");
            s.execute("INSERT INTO metadata.health_webhooks (id, name, owner, url, format, catalog, created_at)"
                    + " VALUES (gen_random_uuid(), 'Sales-Alerts', 'analysts', 'https://hooks.example.com/x',"
                    + " 'json', 'Sales', now())");
            s.execute("INSERT INTO metadata.external_locations (id, name, url, created_at)"
                    + " VALUES (gen_random_uuid(), 'Raw_Files', 'file:/w/Raw', now())");
            // two stagings of one name but for case, not yet finalized: the older is kept
            s.execute("INSERT INTO metadata.unity_tables (unity_id, catalog, schema, name, location, staged_at) VALUES"
                    + " ('00000000-0000-0000-0000-00000000000a', 'Sales', 'EU', 'Staged', 'file:/w/s1',"
                    + " now() - interval '1 hour'),"
                    + " ('00000000-0000-0000-0000-00000000000b', 'sales', 'eu', 'STAGED', 'file:/w/s2', now())");
        }

        migrate(db);

        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT name FROM metadata.catalogs")).containsExactly("sales");
            assertThat(rows(s, "SELECT catalog || '.' || name FROM metadata.schemas"))
                    .containsExactly("sales.eu");
            assertThat(rows(s, "SELECT full_name FROM metadata.tables")).containsExactly("sales.eu.orders");
            assertThat(rows(
                            s,
                            "SELECT catalog || '.' || schema || '.' || name || ' ' || location"
                                    + " FROM metadata.unity_tables ORDER BY 1"))
                    .as("stagings folded, of two that now share a name the older kept")
                    .containsExactly("sales.eu.returns file:/w/r", "sales.eu.staged file:/w/s1");
            assertThat(rows(s, "SELECT full_name FROM metadata.publish_state")).containsExactly("sales.eu.orders");
            assertThat(rows(s, "SELECT full_name FROM metadata.lineage_outbox")).containsExactly("sales.eu.orders");
            assertThat(rows(s, "SELECT full_name FROM metadata.maintenance_run_outbox"))
                    .containsExactly("sales.eu.orders");
            assertThat(rows(s, "SELECT full_name || ' ' || location FROM metadata.dropped_locations"))
                    .as("the name folded, the location as it was")
                    .containsExactly("sales.eu.old file:/w/sales/eu/old");
            assertThat(rows(s, "SELECT table_name || ' ' || catalog FROM metadata.health_incidents"))
                    .containsExactly("sales.eu.orders sales");
            assertThat(rows(s, "SELECT name || ' ' || catalog FROM metadata.health_webhooks"))
                    .as("the webhook's catalog filter folded; a webhook's own name is not a securable's")
                    .containsExactly("Sales-Alerts sales");
            assertThat(rows(s, "SELECT name || ' ' || url FROM metadata.external_locations"))
                    .as("the location's name folded, its url as it was")
                    .containsExactly("raw_files file:/w/Raw");
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
            assertThatThrownBy(() -> s.execute("INSERT INTO metadata.external_locations (id, name, url, created_at)"
                            + " VALUES (gen_random_uuid(), 'Landing', 'file:/w/landing', now())"))
                    .hasMessageContaining("external_locations_name_folded");
            assertThatThrownBy(() -> s.execute(
                            "INSERT INTO metadata.schemas (catalog, name, created_at) VALUES ('sales', 'US', now())"))
                    .hasMessageContaining("schemas_name_folded");
            assertThatThrownBy(() -> s.execute(table("sales", "eu", "Returns", "file:/w/sales/eu/returns")))
                    .hasMessageContaining("tables_name_folded");
            assertThat(rows(s, "SELECT full_name FROM metadata.tables"))
                    .as("the refused inserts stored nothing")
                    .containsExactly("sales.eu.orders");
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
