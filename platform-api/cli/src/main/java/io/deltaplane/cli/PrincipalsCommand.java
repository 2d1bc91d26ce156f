package io.deltaplane.cli;

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

    static final String PRINCIPALS = "/api/v1/admin/principals";

    @Command(name = "list", description = "Every principal with its type and groups.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            output().list(cli().http().get(PRINCIPALS).path("principals"), "name", "type", "groups");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One principal and every group it is in.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            output().object(cli().http().get(PRINCIPALS + "/" + encode(name)));
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
            output().object(cli().http()
                    .post(
                            PRINCIPALS,
                            cli().json().createObjectNode().put("name", name).put("type", type)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a principal (not while it owns something or holds a key).")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            cli().http().delete(PRINCIPALS + "/" + encode(name));
            output().message("deleted principal " + name);
            return ExitCodes.OK;
        }
    }
}
