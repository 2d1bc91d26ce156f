package io.deltaplane.cli;

import io.deltaplane.client.generated.lineage.api.RunsApi;
import io.deltaplane.client.generated.lineage.model.RecentRunPage;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane runs list|show}: pipeline runs recorded by lineage. */
@Command(
        name = "runs",
        description = "Runs of jobs: list (newest first), show.",
        subcommands = {RunsCommand.List.class, RunsCommand.Show.class})
final class RunsCommand extends GroupCommand {

    /** Runs asked for per page (the API's most). */
    static final int PAGE = 1000;

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
            // GET /api/v1/runs: across jobs, newest first, filtered by the server
            RunsApi runs = new RunsApi(cli().client().generated().lineage());
            String wanted = state == null ? null : state.toUpperCase(java.util.Locale.ROOT);
            var shown = Pages.all(
                    token -> call(() -> runs.getRuns(wanted, job, Math.min(limit, PAGE), token)),
                    RecentRunPage::getRuns,
                    RecentRunPage::getNextPageToken,
                    limit);
            output().list(tree(shown), "run_id", "job_name", "state", "started_at", "ended_at");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One run: state, times, metadata, inputs, outputs, events, artifacts.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Override
        public Integer call() {
            UUID id;
            try {
                id = UUID.fromString(runId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a run id (a UUID): " + runId);
            }
            RunsApi runs = new RunsApi(cli().client().generated().lineage());
            output().object(tree(call(() -> runs.getRunsByRunId(id))));
            return ExitCodes.OK;
        }
    }
}
