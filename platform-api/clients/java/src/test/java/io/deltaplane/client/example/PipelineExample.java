package io.deltaplane.client.example;

import io.deltaplane.client.ConflictException;
import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.model.CommitResult;
import io.deltaplane.client.model.DeltaActions;
import io.deltaplane.client.model.Snapshot;
import io.deltaplane.client.model.Table;
import io.deltaplane.client.model.TableSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A pipeline against {@code ./platform up}: creates {@code demo.sales.orders} if needed, commits a
 * file to it, and records the whole lineage of a run (input, output, an event, the run's log).
 *
 * <pre>
 * ./platform up
 * DELTAPLANE_API_URL=http://localhost:8080 DELTAPLANE_API_KEY=$(cat .platform/admin-api-key) \
 *   ./mvnw -q -pl platform-api/clients/java test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.deltaplane.client.example.PipelineExample
 * </pre>
 */
public final class PipelineExample {

    public static void main(String[] args) throws Exception {
        try (Deltaplane client = Deltaplane.fromEnvironment()) {
            ensureTable(client);
            client.useCatalog("demo").useSchema("sales");

            // raw → curated: another job writes the raw data, so the ETL job only reads it (a job
            // that read and wrote the same table would be a self-loop in the lineage graph)
            client.runJob("ingest_sales_raw", Map.of("owner", "example"), job -> {
                job.registerSnapshot("sales_raw", "file:/data/raw/sales", "parquet");
            });

            Path log = Files.createTempFile("daily_sales_etl", ".log");
            client.runJob("daily_sales_etl", Map.of("owner", "example"), job -> {
                Files.writeString(log, "run " + job.runId() + " started\n");

                // input: the raw data ingest_sales_raw registered (the run becomes a reader)
                String input = job.getTableLatestUri("sales_raw");

                // output: one new file committed to the Delta table
                Table orders = client.tables().get("orders");
                CommitResult commit = client.tables()
                        .commit(
                                "orders",
                                orders.version(),
                                List.of(DeltaActions.add("part-" + System.nanoTime() + ".parquet", 4096)));
                job.registerSnapshot("demo.sales.orders", orders.location(), "delta");
                job.logEvent("metrics", Map.of("input", input, "committed_version", commit.version()));

                Files.writeString(
                        log, "committed version " + commit.version() + "\n", java.nio.file.StandardOpenOption.APPEND);
                job.attachLog(log);
                System.out.println(
                        "run " + job.runId() + ": read " + input + ", committed version " + commit.version());
            });

            Snapshot snapshot = client.tables().snapshot("orders");
            System.out.println("demo.sales.orders is at version " + snapshot.version() + " with " + snapshot.numFiles()
                    + " files");
            client.jobs()
                    .runs("daily_sales_etl")
                    .forEach(run -> System.out.println("  run " + run.runId() + " " + run.state()));
        }
    }

    private static void ensureTable(Deltaplane client) {
        try {
            client.catalogs().create("demo");
        } catch (ConflictException exists) {
            // created by an earlier run
        }
        try {
            client.schemas().create("demo.sales");
        } catch (ConflictException exists) {
            // created by an earlier run
        }
        try {
            client.tables()
                    .create(TableSpec.named("demo.sales.orders")
                            .column("id", "long", false)
                            .column("amount", "double"));
        } catch (ConflictException exists) {
            // created by an earlier run
        }
    }
}
