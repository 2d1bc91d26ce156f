package io.deltaplane.cli;

import io.deltaplane.client.generated.lineage.api.RunsApi;
import io.deltaplane.client.generated.lineage.model.RecentRunPage;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane runs list|show|start|complete}: pipeline runs recorded by lineage; a shell
 * pipeline records its own run with {@code start} and {@code complete}.
 */
@Command(
        name = "runs",
        description = "Runs of jobs: list (newest first), show, start, complete.",
        subcommands = {
            RunsCommand.List.class,
            RunsCommand.Show.class,
            RunsCommand.Start.class,
            RunsCommand.Complete.class
        })
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
            UUID id = runId(runId);
            RunsApi runs = new RunsApi(cli().client().generated().lineage());
            output().object(tree(call(() -> runs.getRunsByRunId(id))));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "start",
            description = "Start a run of a job (the job is made on its first run); prints the run, its run_id"
                    + " for complete.")
    static final class Start extends CliCommand {
        @Parameters(paramLabel = "JOB")
        String job;

        @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "The run's metadata (repeatable).")
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            output().object(tree(cli().client().jobs().startRun(job, metadata)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "complete", description = "End a run of a job: COMPLETED, or FAILED with --failed.")
    static final class Complete extends CliCommand {
        @Parameters(index = "0", paramLabel = "JOB")
        String job;

        @Parameters(index = "1", paramLabel = "RUN_ID")
        String runId;

        @Option(names = "--failed", description = "The run failed.")
        boolean failed;

        @Option(names = "--message", description = "Why it failed (kept in the run's extra as error).")
        String message;

        @Override
        public Integer call() {
            runId(runId);
            java.util.Map<String, Object> extra =
                    message == null ? java.util.Map.of() : java.util.Map.of("error", message);
            output().object(tree(cli().client().jobs().completeRun(job, runId, !failed, extra, java.util.List.of())));
            return ExitCodes.OK;
        }
    }

    /** The run id {@code text} names; a usage error when it is not a UUID. */
    static UUID runId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a run id (a UUID): " + text);
        }
    }
}
