package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Comparator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane runs list|show}: pipeline runs recorded by lineage. */
@Command(
        name = "runs",
        description = "Runs of jobs: list (newest first), show.",
        subcommands = {RunsCommand.List.class, RunsCommand.Show.class})
final class RunsCommand extends GroupCommand {

    @Command(name = "list", description = "Recent runs, of one job (--job) or of every job.")
    static final class List extends CliCommand {
        @Option(names = "--job")
        String job;

        @Option(names = "--state", description = "RUNNING, COMPLETED, FAILED or ABANDONED")
        String state;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Override
        public Integer call() {
            java.util.List<String> jobs = new ArrayList<>();
            if (job != null) {
                jobs.add(job);
            } else {
                ArrayNode all = Pages.all(cli().http(), cli().json().createArrayNode(), "/api/v1/jobs", "jobs", 10_000);
                all.forEach(j -> jobs.add(j.path("job_name").asText()));
            }
            java.util.List<JsonNode> runs = new ArrayList<>();
            for (String name : jobs) {
                ArrayNode page = Pages.all(
                        cli().http(),
                        cli().json().createArrayNode(),
                        "/api/v1/jobs/" + encode(name) + "/runs",
                        "runs",
                        limit);
                page.forEach(run -> {
                    if (state == null
                            || state.equalsIgnoreCase(run.path("state").asText())) {
                        runs.add(run);
                    }
                });
            }
            runs.sort(Comparator.comparing(
                            (JsonNode run) -> run.path("started_at").asText())
                    .reversed());
            ArrayNode shown = cli().json().createArrayNode();
            runs.stream().limit(limit).forEach(shown::add);
            output().list(shown, "run_id", "job_name", "state", "started_at", "ended_at");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One run: state, times, metadata, inputs, outputs, events, artifacts.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() {
            output().object(cli().http().get("/api/v1/runs/" + encode(runId)));
            return ExitCodes.OK;
        }
    }
}
