package io.deltaplane.metadata.health;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.secrets.Secrets;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.testing.MovableClock;
import io.deltaplane.testing.TestHttp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What the health tests share: their own context, in which the service's clock is a frozen {@link
 * MovableClock} the tests move, the evaluator and the webhook sender run only when a test asks,
 * the secrets webhooks may name come from {@link #SECRETS}, and no
 * background loop runs (the database is shared with the main context, the clock is not). Webhooks may
 * go to 127.0.0.1 and to the hosts of example.com ({@code *.example.com}).
 */
@Import(HealthTestBase.HealthTestConfiguration.class)
@TestPropertySource(
        properties = {
            "deltaplane.health.enabled=false",
            "deltaplane.health.webhook-allowed-hosts=127.0.0.1,*.example.com",
            // This context shares the database with the main one but not its clock: its own
            // publisher, relay and purge would take leases and act on the main context's tables by
            // a clock months behind. It only answers requests.
            "deltaplane.publish.enabled=false",
            "deltaplane.lineage.enabled=false",
            "deltaplane.dropped-tables.retention=0"
        })
abstract class HealthTestBase extends MetadataTestBase {

    /** The environment the webhooks' secret references are read from; a test may add to it. */
    static final Map<String, String> SECRETS =
            new ConcurrentHashMap<>(Map.of("DELTAPLANE_SECRET_HOOK_KEY", "s3cr3t-signing-key-0001"));

    @TestConfiguration
    static class HealthTestConfiguration {
        @Bean
        @Primary
        MovableClock movableClock() {
            return MovableClock.frozenAt(Instant.parse("2026-01-01T00:00:00Z"));
        }

        @Bean
        @Primary
        HealthSecrets testSecrets() {
            return new HealthSecrets(new Secrets(SECRETS::get, "DELTAPLANE_SECRET_", Optional.empty()));
        }
    }

    @Autowired
    Clock clock;

    @Autowired
    HealthEvaluator evaluator;

    @Autowired
    WebhookSender sender;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    PrincipalStore principals;

    MovableClock movable() {
        return (MovableClock) clock;
    }

    /** Moves the clock to the next Monday 00:00 UTC, so a history starts where the test says. */
    void toNextMonday() {
        Instant now = clock.instant();
        var midnight = now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1);
        while (midnight.getDayOfWeek() != DayOfWeek.MONDAY) {
            midnight = midnight.plusDays(1);
        }
        movable()
                .advance(Duration.between(
                        now, midnight.atStartOfDay(ZoneOffset.UTC).toInstant()));
    }

    /** One data commit a moment: {@code hours} of them, an hour apart, each adding a file of 100 rows. */
    long commitHourly(String table, long version, int hours) {
        for (int i = 0; i < hours; i++) {
            movable().advance(Duration.ofHours(1));
            ok(commit(table, version, add("h" + version + ".parquet", 1_000)), 201);
            version++;
        }
        return version;
    }

    List<JsonNode> incidents(String table, String status) {
        String catalog = table.substring(0, table.indexOf('.'));
        List<JsonNode> found = new ArrayList<>();
        get("/api/v1/incidents?status=" + status + "&catalog_name=" + catalog)
                .get("incidents")
                .forEach(i -> {
                    if (i.get("table").asString().equals(table)) {
                        found.add(i);
                    }
                });
        return found;
    }

    String metrics() {
        return http.get("/actuator/prometheus").body();
    }

    JsonNode health(String table) {
        return get("/api/v1/tables/" + table + "/health");
    }

    /** A new service principal with a key of its own; no grants. */
    TestHttp newTeam(String team) {
        principals.create(team, PrincipalType.SERVICE_PRINCIPAL);
        return http.withKey(keys.createFor("team", team, null).key());
    }

    /** Sets the catalog's {@code deltaplane.freshness.sla}. */
    void catalogSla(String table, String sla) {
        String catalog = table.substring(0, table.indexOf('.'));
        ok(
                http.send(
                        "PATCH",
                        "/api/2.1/unity-catalog/catalogs/" + catalog,
                        "{\"properties\":{\"deltaplane.freshness.sla\":\"" + sla + "\"}}"),
                200);
    }
}
