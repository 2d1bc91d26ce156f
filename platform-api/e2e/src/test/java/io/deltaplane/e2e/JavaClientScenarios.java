package io.deltaplane.e2e;

import io.deltaplane.client.ConflictException;
import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.InvalidRequestException;
import io.deltaplane.client.NotFoundException;
import io.deltaplane.client.generated.lineage.model.RunView;
import io.deltaplane.client.model.Catalog;
import io.deltaplane.client.model.Run;
import io.deltaplane.client.model.Schema;
import io.deltaplane.client.model.Table;
import io.deltaplane.client.model.TableSpec;
import io.deltaplane.e2e.Scenarios.Answer;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/** The scenarios' operations through the Java client; its models answered with the wire's names. */
final class JavaClientScenarios implements Scenarios.Driver {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Deltaplane client;
    /** The run of each job this client started last, for complete_run and show_run. */
    private final java.util.Map<String, String> lastRun = new java.util.HashMap<>();

    JavaClientScenarios(Deltaplane client) {
        this.client = client;
    }

    @Override
    public Answer perform(String operation, JsonNode step) {
        try {
            return Answer.of(call(operation, step));
        } catch (NotFoundException e) {
            return Answer.failed("not_found");
        } catch (ConflictException e) {
            return Answer.failed("conflict");
        } catch (InvalidRequestException e) {
            return Answer.failed("invalid_request");
        }
    }

    private JsonNode call(String operation, JsonNode step) {
        String catalog = step.path("catalog").asString();
        String schema = step.path("schema").asString();
        String table = step.path("table").asString();
        String job = step.path("job").asString();
        return switch (operation) {
            case "create_catalog" -> catalog(client.catalogs().create(catalog));
            case "show_catalog" -> catalog(client.catalogs().get(catalog));
            case "drop_catalog" -> {
                client.catalogs().delete(catalog, step.path("force").asBoolean(false));
                yield JSON.nullNode();
            }
            case "create_schema" -> schema(client.schemas().create(schema, null));
            case "list_schemas" ->
                names(client.schemas().list(catalog).stream().map(Schema::name).toList());
            case "drop_schema" -> {
                client.schemas().delete(schema);
                yield JSON.nullNode();
            }
            case "create_table" -> {
                String[] name = table.split("\\.");
                TableSpec spec = TableSpec.named(name[2]);
                for (JsonNode column : step.path("columns")) {
                    String[] c = column.asString().split(":");
                    spec.column(c[0], c[1], c.length < 3);
                }
                yield table(
                        client.useCatalog(name[0]).useSchema(name[1]).tables().create(spec));
            }
            case "show_table" -> table(client.tables().get(table));
            case "list_tables" -> {
                String[] name = schema.split("\\.");
                yield names(client.tables().list(name[0], name[1]).stream()
                        .map(t -> t.fullName().substring(schema.length() + 1))
                        .toList());
            }
            case "history" ->
                names(client.tables().history(table).getCommits().stream()
                        .map(c -> c.getOperation())
                        .toList());
            case "files" ->
                JSON.getNodeFactory().numberNode(client.tables().snapshot(table).numFiles());
            case "drop_table" -> {
                client.tables().delete(table);
                yield JSON.nullNode();
            }
            case "start_run" -> {
                Run run = client.jobs().startRun(job, Map.of());
                lastRun.put(job, run.runId());
                yield run(run);
            }
            case "complete_run" ->
                run(client.jobs()
                        .completeRun(
                                job, lastRun.get(job), !step.path("failed").asBoolean(false), Map.of(), List.of()));
            case "list_runs" ->
                names(client.jobs().runs(job).stream().map(Run::state).toList());
            case "show_run" -> {
                RunView run =
                        client.jobs().run(step.has("run") ? step.get("run").asString() : lastRun.get(job));
                yield run(
                        run.getRunId().toString(),
                        run.getJobName(),
                        run.getState().getValue());
            }
            default -> throw new IllegalArgumentException("no such operation in the scenarios: " + operation);
        };
    }

    private static JsonNode catalog(Catalog catalog) {
        return JSON.createObjectNode().put("name", catalog.name());
    }

    private static JsonNode schema(Schema schema) {
        return JSON.createObjectNode()
                .put("name", schema.name())
                .put("catalog_name", schema.catalogName())
                .put("full_name", schema.fullName());
    }

    private static JsonNode table(Table table) {
        return JSON.createObjectNode().put("full_name", table.fullName()).put("version", table.version());
    }

    private static JsonNode run(Run run) {
        return run(run.runId(), run.jobName(), run.state());
    }

    private static JsonNode run(String runId, String jobName, String state) {
        return JSON.createObjectNode()
                .put("run_id", runId)
                .put("job_name", jobName)
                .put("state", state);
    }

    private static JsonNode names(java.util.List<String> names) {
        ArrayNode array = JSON.createArrayNode();
        names.forEach(array::add);
        return array;
    }
}
