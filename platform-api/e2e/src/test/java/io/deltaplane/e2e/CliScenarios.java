package io.deltaplane.e2e;

import io.deltaplane.e2e.CliProcess.Run;
import io.deltaplane.e2e.Scenarios.Answer;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The scenarios' operations through the CLI, one command line per step with {@code -o json}, run
 * in-process ({@link CliProcess#inProcess}; {@code CliEndToEndTest} runs the jar as a user does); an
 * error is its exit code (4 not found, 5 conflict, 8 invalid request: {@code ExitCodes}).
 */
final class CliScenarios implements Scenarios.Driver {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String url;
    private final String key;
    /** The run of each job this client started last, for complete_run and show_run. */
    private final java.util.Map<String, String> lastRun = new java.util.HashMap<>();

    CliScenarios(String url, String key) {
        this.url = url;
        this.key = key;
    }

    @Override
    public Answer perform(String operation, JsonNode step) throws Exception {
        String catalog = step.path("catalog").asString();
        String schema = step.path("schema").asString();
        String table = step.path("table").asString();
        String job = step.path("job").asString();
        List<String> args = new ArrayList<>(List.of("-o", "json"));
        switch (operation) {
            case "create_catalog" -> args.addAll(List.of("catalogs", "create", catalog));
            case "show_catalog" -> args.addAll(List.of("catalogs", "show", catalog));
            case "drop_catalog" -> {
                args.addAll(List.of("catalogs", "drop", catalog));
                if (step.path("force").asBoolean(false)) {
                    args.add("--force");
                }
            }
            case "create_schema" -> args.addAll(List.of("schemas", "create", schema));
            case "list_schemas" -> args.addAll(List.of("schemas", "list", "--catalog", catalog));
            case "drop_schema" -> args.addAll(List.of("schemas", "drop", schema));
            case "create_table" -> {
                args.addAll(List.of("tables", "create", table));
                step.path("columns").forEach(c -> args.addAll(List.of("--column", c.asString())));
            }
            case "show_table" -> args.addAll(List.of("tables", "show", table));
            case "list_tables" -> {
                String[] name = schema.split("\\.");
                args.addAll(List.of("tables", "list", "--catalog", name[0], "--schema", name[1]));
            }
            case "history" -> args.addAll(List.of("tables", "history", table));
            case "files" -> args.addAll(List.of("tables", "files", table));
            case "drop_table" -> args.addAll(List.of("tables", "drop", table));
            case "start_run" -> args.addAll(List.of("runs", "start", job));
            case "complete_run" -> {
                args.addAll(List.of("runs", "complete", job, lastRun.get(job)));
                if (step.path("failed").asBoolean(false)) {
                    args.add("--failed");
                }
            }
            case "list_runs" -> args.addAll(List.of("runs", "list", "--job", job));
            case "show_run" ->
                args.addAll(List.of(
                        "runs", "show", step.has("run") ? step.get("run").asString() : lastRun.get(job)));
            default -> throw new IllegalArgumentException("no such operation in the scenarios: " + operation);
        }
        Run run = CliProcess.inProcess(url, key, args.toArray(String[]::new));
        switch (run.exit()) {
            case 0 -> {}
            case 4 -> {
                return Answer.failed("not_found");
            }
            case 5 -> {
                return Answer.failed("conflict");
            }
            case 8 -> {
                return Answer.failed("invalid_request");
            }
            default ->
                throw new AssertionError(
                        "deltaplane " + String.join(" ", args) + " exited " + run.exit() + ": " + run.err());
        }
        return Answer.of(
                switch (operation) {
                    case "list_schemas" -> pluck(run.json(), "name");
                    // the last part of catalog.schema.table (the Java client's tables carry no short name)
                    case "list_tables" -> lastParts(pluck(run.json(), "full_name"));
                    case "history" -> pluck(run.json(), "operation");
                    case "files" -> JSON.getNodeFactory().numberNode(run.json().size());
                    case "list_runs" -> pluck(run.json(), "state");
                    case "start_run" -> {
                        lastRun.put(job, run.json().path("run_id").asString());
                        yield run.json();
                    }
                    case "drop_catalog", "drop_schema", "drop_table" -> JSON.nullNode();
                    default -> run.json();
                });
    }

    private static JsonNode lastParts(JsonNode fullNames) {
        ArrayNode names = JSON.createArrayNode();
        fullNames.forEach(n -> names.add(n.asString().substring(n.asString().lastIndexOf('.') + 1)));
        return names;
    }

    private static JsonNode pluck(JsonNode list, String field) {
        ArrayNode values = JSON.createArrayNode();
        list.forEach(item -> values.add(item.path(field).asString()));
        return values;
    }
}
