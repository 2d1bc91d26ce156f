package io.deltaplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane catalogs list|show|create|drop}. */
@Command(
        name = "catalogs",
        description = "Catalogs: list, show, create, drop.",
        subcommands = {
            CatalogsCommand.List.class,
            CatalogsCommand.Show.class,
            CatalogsCommand.Create.class,
            CatalogsCommand.Drop.class
        })
final class CatalogsCommand extends GroupCommand {

    @Command(name = "list", description = "Every catalog.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            output().list(tree(cli().client().catalogs().list()), "name", "comment", "created_at");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One catalog.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "CATALOG")
        String name;

        @Override
        public Integer call() {
            output().object(tree(cli().client().catalogs().get(name)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Create a catalog.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "CATALOG")
        String name;

        @Option(names = "--comment")
        String comment;

        @Override
        public Integer call() {
            output().object(tree(cli().client().catalogs().create(name, comment)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", description = "Drop a catalog (--force drops its schemas and tables too).")
    static final class Drop extends CliCommand {
        @Parameters(paramLabel = "CATALOG")
        String name;

        @Option(names = "--force", description = "also drop what the catalog holds")
        boolean force;

        @Override
        public Integer call() {
            cli().client().catalogs().delete(name, force);
            output().message("dropped catalog " + name);
            return ExitCodes.OK;
        }
    }
}
