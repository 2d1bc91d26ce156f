package io.deltaplane.cli;

import io.deltaplane.client.generated.lineage.api.JobsApi;
import io.deltaplane.client.generated.lineage.model.JobHealth;
import io.deltaplane.client.generated.metadata.api.TablesApi;
import io.deltaplane.client.generated.metadata.model.TableHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane health TABLE}: whether a table is fresh ({@code GET /api/v1/tables/{t}/health});
 * {@code deltaplane health --job JOB}: whether a job runs as its history says ({@code GET
 * /api/v1/jobs/{job}/health}). Exits 9 when the table is late or the job FAILING, RUNNING_LONG,
 * OVERDUE, STALLED or LAGGING, so a script or a scheduler's check can act on it.
 */
@Command(
        name = "health",
        description =
                "Whether a table is fresh (its status, expectation and daily volume) or, with --job, whether a"
                        + " job runs as usual; exits 9 when the table is LATE or the job FAILING, RUNNING_LONG, OVERDUE, STALLED or LAGGING.")
final class HealthCommand extends CliCommand {

    @Parameters(paramLabel = "TABLE", arity = "0..1", description = "catalog.schema.table")
    String name;

    @Option(names = "--job", paramLabel = "JOB", description = "a job's health instead of a table's")
    String job;

    @Override
    public Integer call() {
        if ((name == null) == (job == null)) {
            throw new ParameterException(spec.commandLine(), "name a TABLE or a --job, one of them");
        }
        if (job != null) {
            JobsApi jobs = new JobsApi(cli().client().generated().lineage());
            JobHealth health = call(() -> jobs.getJobsByJobNameHealth(job));
            output().object(tree(health));
            return health.getStatus() == JobHealth.StatusEnum.HEALTHY
                            || health.getStatus() == JobHealth.StatusEnum.UNKNOWN
                    ? ExitCodes.OK
                    : ExitCodes.CHECK_FAILED;
        }
        TablesApi tables = new TablesApi(cli().client().generated().metadata());
        TableHealth health = call(() -> tables.getTablesByFullNameHealth(name));
        output().object(tree(health));
        return health.getStatus() == TableHealth.StatusEnum.LATE ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }
}
