package io.deltaplane.cli;

import io.deltaplane.client.generated.gateway.model.CreatePrincipal;
import io.deltaplane.client.generated.gateway.model.PrincipalList;
import io.deltaplane.client.generated.gateway.model.PrincipalResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane principals ...} and {@code deltaplane groups ...}: users, service principals,
 * groups and membership, through the gateway's admin API (a metastore admin's key).
 */
@Command(
        name = "principals",
        description = "Users, service principals and groups (admin): list, show, create, delete.",
        subcommands = {
            PrincipalsCommand.List.class,
            PrincipalsCommand.Show.class,
            PrincipalsCommand.Create.class,
            PrincipalsCommand.Delete.class
        })
final class PrincipalsCommand extends GroupCommand {

    /** Principals asked for per page (the API's most). */
    static final int PAGE = 1000;

    @Command(name = "list", description = "Every principal with its type and groups.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            java.util.List<PrincipalResponse> all = new java.util.ArrayList<>();
            String token = null;
            do {
                String after = token;
                PrincipalList page = call(() -> admin().getAdminPrincipals(PAGE, after));
                all.addAll(page.getPrincipals());
                token = page.getNextPageToken();
            } while (token != null);
            output().list(tree(all), "name", "type", "groups");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One principal and every group it is in.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            output().object(tree(call(() -> admin().getAdminPrincipalsByName(name))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Create a user, service principal or group.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--type", required = true, description = "user, service_principal or group")
        String type;

        @Override
        public Integer call() {
            CreatePrincipal principal = new CreatePrincipal().name(name).type(type);
            output().object(tree(call(() -> admin().postAdminPrincipals(principal))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a principal (not while it owns something or holds a key).")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            act(() -> admin().deleteAdminPrincipalsByName(name));
            output().message("deleted principal " + name);
            return ExitCodes.OK;
        }
    }
}
