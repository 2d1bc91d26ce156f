package io.deltaplane.cli;

import io.deltaplane.client.generated.metadata.api.IncidentsApi;
import io.deltaplane.client.generated.metadata.model.IncidentList;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane incidents list|get}: health incidents of the tables the caller may read. */
@Command(
        name = "incidents",
        description = "Health incidents of late tables you may read: list, get.",
        subcommands = {IncidentsCommand.List.class, IncidentsCommand.Get.class})
final class IncidentsCommand extends GroupCommand {

    @Command(name = "list", description = "Incidents, newest first (one page).")
    static final class List extends CliCommand {
        @Option(names = "--status", description = "OPEN or RESOLVED (default: both)")
        String status;

        @Option(names = "--catalog", description = "only this catalog's tables")
        String catalog;

        @Option(names = "--limit", defaultValue = "100", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            IncidentsApi incidents = new IncidentsApi(cli().client().generated().metadata());
            IncidentList page = call(() -> incidents.getIncidents(status, catalog, limit, null));
            output().list(
                            tree(page.getIncidents()),
                            "id",
                            "table",
                            "status",
                            "opened_at",
                            "staleness_seconds",
                            "expectation");
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "One incident.")
    static final class Get extends CliCommand {
        @Parameters(paramLabel = "ID")
        UUID id;

        @Override
        public Integer call() {
            IncidentsApi incidents = new IncidentsApi(cli().client().generated().metadata());
            output().object(tree(call(() -> incidents.getIncidentsById(id))));
            return ExitCodes.OK;
        }
    }
}
