package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.statements.StatementCount;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.TestHttp;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;

/**
 * A page of tables is one statement on every door, whatever the page holds: the statements of a
 * listing request (authentication to answer, counted by the application's {@link StatementCount}
 * over its {@code CountingDataSource}) are the same for a page of 1 table as for a page of 20,
 * through {@code /api/v1/tables}, Unity Catalog's {@code /tables} and {@code /table-summaries}, and
 * the Iceberg REST listing. Each request's statements are printed with the class and method that
 * ran each. A listing's count is the fewest of {@link #ATTEMPTS} (a request may find a cache, API
 * keys or grants, due for a refresh). What each page shows per table (owner, publish status,
 * schema, properties) is what the same door answers for that table alone.
 */
@Import(ListingStatementsTest.Counting.class)
class ListingStatementsTest extends MetadataTestBase {

    private static final int TABLES = 20;
    private static final int ATTEMPTS = 3;
    private static final String KEY = "X-Test-Count-Statements";

    @Autowired
    PrincipalStore principals;

    @Autowired
    ApiKeyStore keys;

    private String catalog;

    @BeforeEach
    void twentyTables() {
        catalog = newCatalogWithSchemaS();
        IntStream.range(0, TABLES)
                .forEach(i -> ok(
                        http.post(
                                "/api/v1/tables",
                                tableBody(catalog, Map.of(), "day")
                                        .replace("\"name\":\"t\"", "\"name\":\"t" + String.format("%02d", i) + "\"")),
                        201));
        IntStream.range(0, TABLES).forEach(i -> awaitPublished(catalog + ".s.t" + String.format("%02d", i), 0));
    }

    @Test
    void anApiV1PageCostsTheSameStatementsForOneTableAsForTwenty() {
        String page = "/api/v1/tables?catalog_name=" + catalog + "&schema_name=s&max_results=";
        assertSameForOneAndTwenty("api/v1 tables", page);
        JsonNode listed = ok(http.get(page + TABLES), 200).get("tables");
        assertThat(listed).hasSize(TABLES);
        for (JsonNode table : listed) {
            assertThat(table.get("owner").stringValue()).isEqualTo("admin");
            assertThat(table.get("publish").get("published_version").longValue())
                    .isZero();
            assertThat(table)
                    .isEqualTo(get("/api/v1/tables/" + table.get("full_name").stringValue()));
        }
    }

    @Test
    void aUnityCatalogPageCostsTheSameStatementsForOneTableAsForTwenty() {
        String base = "/api/2.1/unity-catalog";
        String page = base + "/tables?catalog_name=" + catalog + "&schema_name=s&max_results=";
        assertSameForOneAndTwenty("unity tables", page);
        assertSameForOneAndTwenty(
                "unity table-summaries", base + "/table-summaries?catalog_name=" + catalog + "&max_results=");
        JsonNode listed = ok(http.get(page + TABLES), 200).get("tables");
        assertThat(listed).hasSize(TABLES);
        for (JsonNode table : listed) {
            assertThat(table.get("owner").stringValue()).isEqualTo("admin");
            assertThat(table.get("columns")).hasSize(3);
            assertThat(table)
                    .isEqualTo(get(base + "/tables/" + catalog + ".s."
                            + table.get("name").stringValue()));
        }
    }

    /** Iceberg's client pages by sending {@code pageToken} (empty at first); without one a listing is whole. */
    @Test
    void anIcebergPageCostsTheSameStatementsForOneTableAsForTwenty() {
        assertSameForOneAndTwenty(
                "iceberg tables",
                "/api/2.1/unity-catalog/iceberg/v1/catalogs/" + catalog + "/namespaces/s/tables?pageToken=&pageSize=");
    }

    /**
     * A caller who sees each table by a grant on it (not on the schema): the grants are read once
     * a page (once a schema for summaries), not once a table.
     */
    @Test
    void aReaderWithAGrantOnEachTableListsAtTheSameCost() {
        String reader =
                "reader_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        principals.create(reader, PrincipalType.USER);
        TestHttp readerHttp =
                http.withKey(keys.createFor("reader", reader, null).key());
        grant("catalog", catalog, reader, "USE_CATALOG");
        grant("schema", catalog + ".s", reader, "USE_SCHEMA");
        IntStream.range(0, TABLES)
                .forEach(i -> grant("table", catalog + ".s.t" + String.format("%02d", i), reader, "SELECT"));
        String uc = "/api/2.1/unity-catalog";
        assertSameForOneAndTwenty(
                "reader: api/v1 tables",
                readerHttp,
                "/api/v1/tables?catalog_name=" + catalog + "&schema_name=s&max_results=");
        assertSameForOneAndTwenty(
                "reader: unity tables",
                readerHttp,
                uc + "/tables?catalog_name=" + catalog + "&schema_name=s&max_results=");
        assertSameForOneAndTwenty(
                "reader: unity table-summaries",
                readerHttp,
                uc + "/table-summaries?catalog_name=" + catalog + "&max_results=");
        JsonNode listed = ok(readerHttp.get(uc + "/tables?catalog_name=" + catalog + "&schema_name=s"), 200)
                .get("tables");
        assertThat(listed).hasSize(TABLES);
        assertThat(listed.findValuesAsString("owner")).containsOnly("admin");
    }

    private void assertSameForOneAndTwenty(String door, String pageOf) {
        assertSameForOneAndTwenty(door, http, pageOf);
    }

    private void assertSameForOneAndTwenty(String door, TestHttp caller, String pageOf) {
        // the pages compared hold what they say: 1 table, and all 20
        assertThat(listedOn(caller, pageOf + 1))
                .as("%s: tables on a page of 1", door)
                .isEqualTo(1);
        assertThat(listedOn(caller, pageOf + TABLES))
                .as("%s: tables on a page of %d", door, TABLES)
                .isEqualTo(TABLES);
        int one = fewest(door, caller, pageOf + 1);
        int twenty = fewest(door, caller, pageOf + TABLES);
        System.out.printf("%s: a page of 1 table: %d statements, a page of %d: %d%n", door, one, TABLES, twenty);
        assertThat(twenty)
                .as("%s: statements for a page of %d tables", door, TABLES)
                .isEqualTo(one);
    }

    /** The tables a page lists: {@code tables} on /api/v1 and Unity Catalog's doors, {@code identifiers} on Iceberg's. */
    private int listedOn(TestHttp caller, String path) {
        JsonNode page = ok(caller.get(path), 200);
        JsonNode listed = page.has("identifiers") ? page.get("identifiers") : page.get("tables");
        assertThat(listed).as("the page's list of tables (%s)", path).isNotNull();
        return listed.size();
    }

    private int fewest(String door, TestHttp caller, String path) {
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < ATTEMPTS; i++) {
            String key = UUID.randomUUID().toString();
            ok(caller.get(path, KEY, key), 200);
            StatementCount.Tally tally = Counting.awaitTally(key);
            System.out.printf(
                    "%s GET %s: %d statements%s%n",
                    door,
                    path,
                    tally.statements(),
                    tally.recorded().stream().map(s -> "\n  " + s).reduce("", String::concat));
            fewest = Math.min(fewest, tally.statements());
        }
        return fewest;
    }

    /** Counts the statements of each request that carries {@link #KEY}, by its value. */
    @TestConfiguration
    static class Counting {

        static final Map<String, StatementCount.Tally> TALLIES = new ConcurrentHashMap<>();

        static StatementCount.Tally awaitTally(String key) {
            // recorded once the answer is written: the client may have it a moment earlier
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!TALLIES.containsKey(key) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(TALLIES).containsKey(key);
            return TALLIES.remove(key);
        }

        @Bean
        FilterRegistrationBean<OncePerRequestFilter> listingStatements() {
            FilterRegistrationBean<OncePerRequestFilter> registration =
                    new FilterRegistrationBean<>(new OncePerRequestFilter() {
                        @Override
                        protected void doFilterInternal(
                                HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                                throws ServletException, IOException {
                            String key = request.getHeader(KEY);
                            if (key == null) {
                                chain.doFilter(request, response);
                                return;
                            }
                            StatementCount.Tally tally = StatementCount.open(true);
                            try {
                                chain.doFilter(request, response);
                            } finally {
                                StatementCount.close();
                                TALLIES.put(key, tally);
                            }
                        }
                    });
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
            return registration;
        }
    }
}
