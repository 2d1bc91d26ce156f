package io.deltaplane.cli;

import io.deltaplane.client.generated.metadata.api.TablesApi;
import io.deltaplane.client.generated.metadata.model.TableHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane health TABLE}: whether a table is fresh ({@code GET /api/v1/tables/{t}/health}),
 * exiting 9 when it is late so a script or a scheduler's check can act on it.
 */
@Command(
        name = "health",
        description = "Whether a table is fresh: its status, expectation and daily volume; exits 9 when it is LATE.")
final class HealthCommand extends CliCommand {

    @Parameters(paramLabel = "TABLE", description = "catalog.schema.table")
    String name;

    @Override
    public Integer call() {
        TablesApi tables = new TablesApi(cli().client().generated().metadata());
        TableHealth health = call(() -> tables.getTablesByFullNameHealth(name));
        output().object(tree(health));
        return health.getStatus() == TableHealth.StatusEnum.LATE ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
    }
}
