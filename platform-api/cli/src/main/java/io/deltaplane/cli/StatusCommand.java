package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.InvalidConfigurationException;
import io.deltaplane.client.generated.lineage.api.JobsApi;
import io.deltaplane.client.generated.metadata.api.CatalogsApi;
import picocli.CommandLine.Command;

/**
 * {@code deltaplane status}: every part as a client sees it through the gateway — the gateway's
 * own health, then one cheap read per service (a 503 there means the gateway cannot reach it).
 * Exit 0 only when every part is up.
 */
@Command(name = "status", description = "Health of the gateway and every service behind it.")
final class StatusCommand extends CliCommand {

    @Override
    public Integer call() {
        ArrayNode parts = cli().json().createArrayNode();
        boolean allUp = true;
        // the gateway's own health is not part of the API contract; then one cheap read per service
        allUp &= probe(parts, "gateway", () -> cli().http().getOpen("/actuator/health"));
        var generated = cli().client().generated();
        allUp &= probe(
                parts,
                "metadata-service",
                () -> tree(call(() -> new CatalogsApi(generated.metadata()).getCatalogs(1, null))));
        allUp &= probe(
                parts, "lineage-service", () -> tree(call(() -> new JobsApi(generated.lineage()).getJobs(1, null))));
        allUp &= probe(parts, "ingest-worker", () -> tree(call(() -> ingest().getIngestMappings())));
        output().list(parts, "part", "status", "detail");
        return allUp ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private boolean probe(ArrayNode parts, String part, java.util.function.Supplier<JsonNode> call) {
        ObjectNode row = parts.addObject().put("part", part);
        try {
            JsonNode answer = call.get();
            String status = answer.path("status").asText("UP");
            row.put("status", status).put("detail", "");
            return "UP".equals(status);
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (DeltaplaneException e) {
            if (e.status() == 401 || e.status() == 403) {
                // The service answered; the key is the problem, which validate-config explains.
                row.put("status", "UP").put("detail", "reachable (this key may not read it: " + e.status() + ")");
                return true;
            }
            row.put("status", "DOWN").put("detail", e.status() == 0 ? e.getMessage() : "HTTP " + e.status());
            return false;
        }
    }
}
