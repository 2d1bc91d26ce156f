package io.deltaplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane volumes list|show|create|rename|drop}: Unity Catalog's volumes, named {@code
 * catalog.schema.volume}.
 */
@Command(
        name = "volumes",
        description = "Volumes (catalog.schema.volume), directories of files that are not tables: list, show,"
                + " create, rename, drop.",
        subcommands = {
            VolumesCommand.List.class,
            VolumesCommand.Show.class,
            VolumesCommand.Create.class,
            VolumesCommand.Rename.class,
            VolumesCommand.Drop.class
        })
final class VolumesCommand extends GroupCommand {

    @Command(name = "list", description = "The volumes of a schema you may read.")
    static final class List extends CliCommand {
        @Option(names = "--schema", required = true, paramLabel = "CATALOG.SCHEMA")
        String schema;

        @Override
        public Integer call() {
            output().list(
                            tree(cli().client().volumes().list(schema)),
                            "full_name",
                            "volume_type",
                            "storage_location",
                            "owner");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One volume.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "CATALOG.SCHEMA.VOLUME")
        String name;

        @Override
        public Integer call() {
            output().object(tree(cli().client().volumes().get(name)));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "create",
            description = "Create a volume: MANAGED (the catalog places it) unless --location names an EXTERNAL"
                    + " one's directory.")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "CATALOG.SCHEMA.VOLUME")
        String name;

        @Option(names = "--location", description = "An EXTERNAL volume's directory (s3://, abfss://, file:)")
        String location;

        @Option(names = "--comment")
        String comment;

        @Override
        public Integer call() {
            var volumes = cli().client().volumes();
            output().object(tree(
                    location == null
                            ? volumes.createManaged(name, comment)
                            : volumes.createExternal(name, location, comment)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rename", description = "Rename a volume within its schema (its grants follow it).")
    static final class Rename extends CliCommand {
        @Parameters(index = "0", paramLabel = "CATALOG.SCHEMA.VOLUME")
        String name;

        @Parameters(index = "1", paramLabel = "NEW_NAME")
        String newName;

        @Override
        public Integer call() {
            output().object(tree(cli().client().volumes().rename(name, newName)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", description = "Drop a volume (a MANAGED one's files are deleted after the retention).")
    static final class Drop extends CliCommand {
        @Parameters(paramLabel = "CATALOG.SCHEMA.VOLUME")
        String name;

        @Override
        public Integer call() {
            cli().client().volumes().delete(name);
            output().message("dropped volume " + name);
            return ExitCodes.OK;
        }
    }
}
