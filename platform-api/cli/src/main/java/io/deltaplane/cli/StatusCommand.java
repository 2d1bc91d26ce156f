package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.InvalidConfigurationException;
import picocli.CommandLine.Command;

/**
 * {@code deltaplane status}: every part as a client sees it through the gateway — the gateway's
 * own health, then one cheap read per service (a 503 there means the gateway cannot reach it).
 * Exit 0 only when every part is up.
 */
@Command(name = "status", description = "Health of the gateway and every service behind it.")
final class StatusCommand extends CliCommand {

    private record Probe(String part, String path) {}

    private static final Probe[] SERVICES = {
        new Probe("metadata-service", "/api/v1/catalogs?max_results=1"),
        new Probe("lineage-service", "/api/v1/jobs?max_results=1"),
        new Probe("ingest-worker", "/api/v1/ingest/mappings")
    };

    @Override
    public Integer call() {
        ArrayNode parts = cli().json().createArrayNode();
        boolean allUp = true;
        allUp &= probe(parts, "gateway", () -> cli().http().getOpen("/actuator/health"));
        for (Probe service : SERVICES) {
            allUp &= probe(parts, service.part(), () -> cli().http().get(service.path()));
        }
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
