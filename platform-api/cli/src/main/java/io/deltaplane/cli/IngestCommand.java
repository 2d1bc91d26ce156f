package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaplane.client.model.IngestMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane ingest mappings …} and {@code deltaplane ingest dry-run -f mapping.json}. */
@Command(
        name = "ingest",
        description = "Streaming ingest: mappings and dry runs.",
        subcommands = {IngestCommand.Mappings.class, IngestCommand.DryRun.class})
final class IngestCommand extends GroupCommand {

    @Command(
            name = "mappings",
            description =
                    "Ingest mappings: list, show, create, drop, pause, resume, status, rows, dead-letters, validate.",
            subcommands = {
                List.class,
                Show.class,
                Create.class,
                Drop.class,
                Pause.class,
                Resume.class,
                Status.class,
                Rows.class,
                DeadLetters.class,
                Validate.class
            })
    static final class Mappings extends GroupCommand {}

    @Command(name = "list", description = "Every mapping.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            JsonNode mappings = tree(cli().client().ingestMappings().list().stream()
                    .map(IngestMapping::body)
                    .toList());
            output().list(
                            mappings,
                            "name",
                            "source.type",
                            "source.topic",
                            "target.schema",
                            "target.table",
                            "enabled",
                            "paused");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One mapping.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Override
        public Integer call() {
            output().object(cli().client().ingestMappings().get(name).body());
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Create a mapping from a JSON file (the body of POST /ingest/mappings).")
    static final class Create extends CliCommand {
        @Option(
                names = {"-f", "--file"},
                required = true,
                paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws IOException {
            JsonNode body = readMapping(cli(), file);
            output().object(cli().client()
                    .ingestMappings()
                    .create(IngestMapping.of(body))
                    .body());
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", description = "Delete a mapping (what it wrote stays).")
    static final class Drop extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Override
        public Integer call() {
            cli().client().ingestMappings().delete(name);
            output().message("dropped mapping " + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "pause", description = "Stop consuming; the position is kept.")
    static final class Pause extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Override
        public Integer call() {
            cli().client().ingestMappings().pause(name);
            output().message("paused " + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "resume", description = "Consume again from where it stopped.")
    static final class Resume extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Override
        public Integer call() {
            cli().client().ingestMappings().resume(name);
            output().message("resumed " + name);
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", description = "State, lag per partition, rows, dead letters, last error.")
    static final class Status extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Override
        public Integer call() {
            output().object(tree(call(() -> ingest().getIngestMappingsByNameStatus(name))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rows", description = "The latest rows the mapping wrote.")
    static final class Rows extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() {
            JsonNode preview = tree(call(() -> ingest().getIngestMappingsByNameRows(name, limit)));
            if (output().format() == Output.Format.json) {
                output().object(preview);
                return ExitCodes.OK;
            }
            java.util.List<String> columns = new java.util.ArrayList<>();
            preview.path("columns").forEach(c -> columns.add(c.path("name").asText()));
            ArrayNode rows = cli().json().createArrayNode();
            for (JsonNode values : preview.path("rows")) {
                ObjectNode row = rows.addObject();
                for (int i = 0; i < columns.size(); i++) {
                    row.set(columns.get(i), values.path(i));
                }
            }
            output().list(rows, columns.toArray(String[]::new));
            return ExitCodes.OK;
        }
    }

    @Command(name = "dead-letters", description = "The latest events the mapping could not write, with the reason.")
    static final class DeadLetters extends CliCommand {
        @Parameters(paramLabel = "MAPPING")
        String name;

        @Option(names = "--limit", defaultValue = "20")
        int limit;

        @Override
        public Integer call() {
            JsonNode page = tree(call(() -> ingest().getIngestMappingsByNameDeadLetters(name, limit)));
            output().list(page.path("items"), "partition", "offset", "error", "payload");
            return ExitCodes.OK;
        }
    }

    @Command(name = "validate", description = "Check every mapping's source and target with its credentials.")
    static final class Validate extends CliCommand {
        @Override
        public Integer call() {
            JsonNode report = tree(call(() -> ingest().postIngestValidate()));
            ArrayNode rows = cli().json().createArrayNode();
            for (JsonNode mapping : report.path("mappings")) {
                rows.addObject()
                        .put("name", mapping.path("name").asText())
                        .put("source", verdict(mapping.path("source")))
                        .put("sink", verdict(mapping.path("sink")));
            }
            if (output().format() == Output.Format.json) {
                output().object(report);
            } else {
                output().list(rows, "name", "source", "sink");
            }
            return report.path("ok").asBoolean() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }

        private static String verdict(JsonNode check) {
            return check.path("ok").asBoolean()
                    ? "ok"
                    : "FAILED: " + check.path("detail").asText();
        }
    }

    /**
     * Consumes and parses the source as the mapping would, writing nothing: the mapping runs under
     * a temporary name with {@code dry_run: true} (no tables, no offsets), its status is read until
     * the counts settle or {@code --seconds} pass, then it is deleted.
     */
    @Command(name = "dry-run", description = "Consume and parse without writing; report what would be written.")
    static final class DryRun extends CliCommand {
        @Option(
                names = {"-f", "--file"},
                required = true,
                paramLabel = "FILE")
        Path file;

        @Option(names = "--seconds", defaultValue = "15", description = "how long to read at most")
        int seconds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            ObjectNode body = (ObjectNode) readMapping(cli(), file);
            String original = body.path("name").asText("mapping");
            String name = original + "-dry-run-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
            body.put("name", name).put("dry_run", true).put("enabled", true);
            if (body.path("source").isObject() && !body.path("source").has("start_from")) {
                ((ObjectNode) body.path("source")).put("start_from", "earliest");
            }
            cli().client().ingestMappings().create(IngestMapping.of(body));
            try {
                JsonNode status = settle(name, Duration.ofSeconds(seconds));
                ObjectNode report = cli().json().createObjectNode();
                report.put("mapping", original);
                report.put("state", status.path("state").asText());
                report.set("rows_would_write", status.path("rows_would_write"));
                report.set("rows_would_dead_letter", status.path("rows_would_dead_letter"));
                report.set("last_error", status.path("last_error"));
                output().object(report);
                return status.path("last_error").isTextual() ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
            } finally {
                cli().client().ingestMappings().delete(name);
            }
        }

        /** Polls the status until the would-be counts stop moving for two polls in a row, or time runs out. */
        private JsonNode settle(String name, Duration budget) throws InterruptedException {
            long deadline = System.nanoTime() + budget.toNanos();
            JsonNode status = cli().json().createObjectNode();
            String previous = null;
            int still = 0;
            while (System.nanoTime() < deadline) {
                status = tree(call(() -> ingest().getIngestMappingsByNameStatus(name)));
                String counts = status.path("rows_would_write").asText() + "/"
                        + status.path("rows_would_dead_letter").asText();
                boolean counted = status.path("rows_would_write").asLong()
                                + status.path("rows_would_dead_letter").asLong()
                        > 0;
                still = counted && counts.equals(previous) ? still + 1 : 0;
                if (still >= 2) {
                    break;
                }
                previous = counts;
                Thread.sleep(500);
            }
            return status;
        }
    }

    static JsonNode readMapping(DeltaplaneCli cli, Path file) throws IOException {
        JsonNode body = cli.json().readTree(Files.readString(file));
        if (!body.isObject()) {
            throw new IllegalArgumentException(file + ": a mapping is a JSON object");
        }
        return body;
    }
}
