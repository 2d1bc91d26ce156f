package io.deltaplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane schemas list|show|create|drop}; schemas are named {@code catalog.schema}. */
@Command(
        name = "schemas",
        description = "Schemas (catalog.schema): list, show, create, drop.",
        subcommands = {
            SchemasCommand.List.class,
            SchemasCommand.Show.class,
            SchemasCommand.Create.class,
            SchemasCommand.Drop.class
        })
final class SchemasCommand extends GroupCommand {

    @Command(name = "list", description = "The schemas of a catalog.")
    static final class List extends CliCommand {
        @Option(names = "--catalog", required = true)
        String catalog;

        @Override
        public Integer call() {
            output().list(tree(cli().client().schemas().list(catalog)), "full_name", "comment", "created_at");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One schema.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "CATALOG.SCHEMA")
        String name;

        @Override
        public Integer call() {
            output().object(tree(cli().client().schemas().get(name)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Create a schema.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "CATALOG.SCHEMA")
        String name;

        @Option(names = "--comment")
        String comment;

        @Override
        public Integer call() {
            output().object(tree(cli().client().schemas().create(name, comment)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", description = "Drop a schema (--force drops its tables too).")
    static final class Drop extends CliCommand {
        @Parameters(paramLabel = "CATALOG.SCHEMA")
        String name;

        @Option(names = "--force")
        boolean force;

        @Override
        public Integer call() {
            cli().client().schemas().delete(name, force);
            output().message("dropped schema " + name);
            return ExitCodes.OK;
        }
    }
}
