package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.generated.metadata.model.Incident;
import io.deltaplane.client.model.DeltaActions;
import io.deltaplane.client.model.TableSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upstream cause, with the real lineage graph: three tables a chain of jobs makes ({@code raw →
 * rollup → mid → daily → gold}), all late together, raise ONE incident — the root's, {@code raw},
 * listing {@code mid} and {@code gold} as affected with their lineage paths — found by
 * metadata-service's own evaluator (every 5 s on this platform), not asked for; the job that loads
 * {@code raw} failed, so lineage's job health names it as the root's cause.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class HealthEndToEndTest {

    static EndToEndPlatform platform;
    static Deltaplane client;

    @BeforeAll
    static void connect(EndToEndPlatform shared) {
        platform = shared;
        client = Deltaplane.builder()
                .url(shared.gatewayUrl())
                .apiKey(shared.adminKey())
                .maxAttempts(2)
                .build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aLateChainIsOneIncidentOfItsRootWithTheRestAffected() throws Exception {
        String catalog =
                "health_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        client.catalogs().create(catalog);
        client.schemas().create(catalog + ".s");
        String raw = catalog + ".s.raw";
        String mid = catalog + ".s.mid";
        String gold = catalog + ".s.gold";
        for (String table : List.of(raw, mid, gold)) {
            client.tables().create(TableSpec.named(table).column("id", "long", false));
            client.tables().append(table, null, List.of(DeltaActions.add("part-0.parquet", 1_000)));
        }
        // the jobs that make mid from raw and gold from mid, as a pipeline records them
        String rollup = "rollup_" + catalog;
        String daily = "daily_" + catalog;
        // the job loading raw wrote it once, then failed: it is named as the root's cause
        String load = "load_" + catalog;
        assertThatThrownBy(() -> client.runJob(load, job -> {
                    job.registerSnapshot(raw, "file:/lake/raw", "delta");
                    throw new IllegalStateException("the source was unreachable");
                }))
                .hasMessageContaining("unreachable");
        client.runJob(rollup, job -> {
            job.getTableLatestUri(raw);
            job.registerSnapshot(mid, "file:/lake/mid", "delta");
        });
        client.runJob(daily, job -> {
            job.getTableLatestUri(mid);
            job.registerSnapshot(gold, "file:/lake/gold", "delta");
        });
        // every table of the catalog is expected every 2 seconds: all three are late soon
        HttpResponse<String> sla = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        platform.gatewayUrl() + "/api/2.1/unity-catalog/catalogs/" + catalog))
                                .header("Authorization", "Bearer " + platform.adminKey())
                                .header("Content-Type", "application/json")
                                .method(
                                        "PATCH",
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"properties\":{\"deltaplane.freshness.sla\":\"interval 2 seconds\"}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(sla.statusCode()).as(sla.body()).isEqualTo(200);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Incident> open = List.of();
        while (System.nanoTime() < deadline) {
            open = client.health().incidents("OPEN", catalog);
            // a pass whose calls to lineage time out keeps the cause named before: wait for one named
            if (open.size() == 1
                    && open.get(0).getAffected().size() == 2
                    && open.get(0).getCause() != null) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(open).as("one incident for the chain").hasSize(1);
        Incident incident = open.get(0);
        assertThat(incident.getTable()).isEqualTo(raw);
        assertThat(incident.getCause())
                .as(
                        "the root's cause: the job writing it, which failed (lineage's job health: %s)",
                        client.health().job(load))
                .startsWith("job " + load + " FAILING: its last run ")
                .endsWith(" failed");
        assertThat(incident.getAffected())
                .containsExactlyInAnyOrder(
                        raw + " → job " + rollup + " → " + mid,
                        raw + " → job " + rollup + " → " + mid + " → job " + daily + " → " + gold);
        assertThat(client.tables().health(gold).getStatus().getValue()).isEqualTo("LATE");

        // the root's data arrives: its incident resolves; mid and gold, still late, are their own now
        client.tables().append(raw, null, List.of(DeltaActions.add("part-1.parquet", 1_000)));
        while (System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos()) {
            if (client.health().incidents("RESOLVED", catalog).stream()
                    .anyMatch(i -> i.getTable().equals(raw))) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(client.health().incidents("RESOLVED", catalog))
                .extracting(Incident::getTable)
                .contains(raw);
        client.catalogs().delete(catalog, true);
    }
}
