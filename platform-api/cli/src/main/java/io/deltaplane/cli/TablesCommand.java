package io.deltaplane.cli;

import io.deltaplane.client.generated.metadata.api.TablesApi;
import io.deltaplane.client.generated.metadata.model.FilesPage;
import io.deltaplane.client.generated.metadata.model.HistoryResponse;
import io.deltaplane.client.model.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane tables list|show|create|drop|append|history|files|optimize|vacuum|maintenance}; tables are {@code
 * catalog.schema.table}.
 */
@Command(
        name = "tables",
        description =
                "Delta tables (catalog.schema.table): list, show, create, drop, append, history, files, optimize, vacuum, maintenance.",
        subcommands = {
            TablesCommand.List.class,
            TablesCommand.Show.class,
            TablesCommand.Create.class,
            TablesCommand.Drop.class,
            TablesCommand.Append.class,
            TablesCommand.History.class,
            TablesCommand.LiveFiles.class,
            TablesCommand.Optimize.class,
            TablesCommand.Vacuum.class,
            TablesCommand.Maintenance.class,
            TablesCommand.Publish.class
        })
final class TablesCommand extends GroupCommand {

    /** Items asked for per page (the API's most). */
    static final int PAGE = 1000;

    @Command(name = "list", description = "The tables of a schema.")
    static final class List extends CliCommand {
        @Option(names = "--catalog", required = true)
        String catalog;

        @Option(names = "--schema", required = true)
        String schema;

        @Override
        public Integer call() {
            output().list(tree(cli().client().tables().list(catalog, schema)), "full_name", "version", "location");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One table: version, schema, location, publish state.")
    static final class Show extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Override
        public Integer call() {
            output().object(tree(cli().client().tables().get(name)));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "create",
            description = "Create a table from --column name:type[:not-null] options or a Delta schema file (-f).")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "TABLE", description = "catalog.schema.table")
        String name;

        @Option(
                names = {"-c", "--column"},
                paramLabel = "NAME:TYPE[:not-null]",
                description = "a column, e.g. id:long:not-null or amount:double")
        java.util.List<String> columns = new java.util.ArrayList<>();

        @Option(
                names = {"-f", "--schema-file"},
                paramLabel = "FILE",
                description = "a Delta StructType JSON file")
        Path schemaFile;

        @Option(names = "--partition-by", split = ",")
        java.util.List<String> partitionBy = new java.util.ArrayList<>();

        @Option(names = "--location", description = "an explicit location (under a registered storage root)")
        String location;

        @Option(names = "--comment")
        String comment;

        @Override
        public Integer call() throws IOException {
            String[] parts = name.split("\\.");
            if (parts.length != 3) {
                throw new IllegalArgumentException("a table is named catalog.schema.table, got '" + name + "'");
            }
            if (columns.isEmpty() == (schemaFile == null)) {
                throw new IllegalArgumentException(
                        "give the columns with --column, or a schema file with -f (one of them)");
            }
            TableSpec spec = TableSpec.named(parts[2]);
            if (schemaFile != null) {
                spec.schema(cli().json().readTree(Files.readString(schemaFile)));
            }
            for (String column : columns) {
                String[] c = column.split(":");
                if (c.length < 2 || c.length > 3 || (c.length == 3 && !c[2].equals("not-null"))) {
                    throw new IllegalArgumentException(
                            "a column is NAME:TYPE or NAME:TYPE:not-null, got '" + column + "'");
                }
                spec.column(c[0], c[1], c.length == 2);
            }
            if (!partitionBy.isEmpty()) {
                spec.partitionedBy(partitionBy.toArray(String[]::new));
            }
            if (location != null) {
                spec.location(location);
            }
            if (comment != null) {
                spec.comment(comment);
            }
            cli().client().useCatalog(parts[0]).useSchema(parts[1]);
            output().object(tree(cli().client().tables().create(spec)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", description = "Drop a table (--purge, admin only, also deletes its files).")
    static final class Drop extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Option(names = "--purge")
        boolean purge;

        @Override
        public Integer call() {
            cli().client().tables().delete(name, purge);
            output().message("dropped table " + name + (purge ? " and its files" : ""));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "append",
            description =
                    "Write rows (.jsonl, .csv or .parquet) as Parquet data files into the table (on any storage) and"
                            + " commit them.")
    static final class Append extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Option(
                names = {"-f", "--file"},
                required = true,
                paramLabel = "FILE")
        Path rows;

        @Override
        public Integer call() throws Exception {
            var table = cli().client().tables().get(name);
            ParquetAppend writer = new ParquetAppend(cli().json());
            String data = "/api/v1/tables/" + encode(table.fullName()) + "/data/";
            var adds = writer.write(
                    ParquetAppend.columns(table.schema()),
                    table.partitionColumns(),
                    rows,
                    (path, file) -> cli().http().putFile(data + encodePath(path), file));
            if (adds.isEmpty()) {
                output().message("no rows in " + rows + ": nothing committed");
                return ExitCodes.OK;
            }
            java.util.List<java.util.Map<String, Object>> actions = new java.util.ArrayList<>();
            long records = 0;
            for (var add : adds) {
                actions.add(cli().json().convertValue(add, java.util.Map.class));
                records += cli().json()
                        .readTree(add.path("add").path("stats").asText())
                        .path("numRecords")
                        .asLong();
            }
            // placed by the platform at the next version: concurrent appenders never conflict
            var result = cli().client().tables().append(name, table.version(), actions);
            var report = cli().json().createObjectNode();
            report.put("table", table.fullName());
            report.put("version", result.version());
            report.put("files", adds.size());
            report.put("rows", records);
            output().object(report);
            return ExitCodes.OK;
        }
    }

    @Command(name = "history", description = "Commits, newest first.")
    static final class History extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Option(names = "--limit", defaultValue = "100")
        int limit;

        @Override
        public Integer call() {
            TablesApi tables = new TablesApi(cli().client().generated().metadata());
            var commits = Pages.all(
                    token -> call(() -> tables.getTablesByFullNameHistory(name, Math.min(limit, PAGE), token)),
                    HistoryResponse::getCommits,
                    HistoryResponse::getNextPageToken,
                    limit);
            output().list(tree(commits), "version", "timestamp", "operation");
            return ExitCodes.OK;
        }
    }

    @Command(name = "files", description = "The live data files at the latest version, or at --version.")
    static final class LiveFiles extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Option(names = "--version")
        Long version;

        @Option(names = "--limit", defaultValue = "10000")
        int limit;

        @Override
        public Integer call() {
            TablesApi tables = new TablesApi(cli().client().generated().metadata());
            var files = Pages.all(
                    token -> call(() ->
                            tables.getTablesByFullNameSnapshotFiles(name, version, null, Math.min(limit, PAGE), token)),
                    FilesPage::getFiles,
                    FilesPage::getNextPageToken,
                    limit);
            output().list(tree(files), "path", "size", "partitionValues", "modificationTime");
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "optimize",
            description = "Compact the table's small files into files of the target size (Delta's OPTIMIZE, run by"
                    + " the platform): one version that changes no data.")
    static final class Optimize extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Option(
                names = "--where",
                paramLabel = "COLUMN=VALUE",
                description = "Only the partitions with this partition value (repeatable).")
        java.util.Map<String, String> where;

        @Option(
                names = "--target-file-size",
                paramLabel = "BYTES",
                description = "Bytes per written file (default: the table's delta.targetFileSize, else 1 GiB).")
        Long targetFileSize;

        @Override
        public Integer call() {
            var result = cli().client().tables().optimize(name, where, targetFileSize);
            output().object(tree(result));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "vacuum",
            description = "Delete the files no version within the retention needs (--dry-run lists them).")
    static final class Vacuum extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Option(names = "--dry-run", description = "List the files, delete nothing.")
        boolean dryRun;

        @Option(
                names = "--retention-hours",
                paramLabel = "HOURS",
                description = "Keep what versions of the last HOURS need (default: the table's"
                        + " delta.deletedFileRetentionDuration, a week).")
        Double retentionHours;

        @Option(
                names = "--allow-short-retention",
                description = "Allow a retention under the platform's minimum (metastore admins only).")
        boolean allowShortRetention;

        @Override
        public Integer call() {
            var result = cli().client().tables().vacuum(name, dryRun, retentionHours, allowShortRetention);
            output().object(tree(result));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "maintenance",
            description = "The maintenance worker's policy for the table and its last OPTIMIZE, VACUUM and failure.")
    static final class Maintenance extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Override
        public Integer call() {
            TablesApi tables = new TablesApi(cli().client().generated().metadata());
            output().object(tree(call(() -> tables.getTablesByFullNameMaintenance(name))));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "publish",
            description = "Where the table's publications stand: its _delta_log (published version, lag, last"
                    + " checkpoint, last error) and its Iceberg metadata (the Delta version it reflects, last error).")
    static final class Publish extends CliCommand {
        @Parameters(paramLabel = "TABLE")
        String name;

        @Override
        public Integer call() {
            TablesApi tables = new TablesApi(cli().client().generated().metadata());
            output().object(tree(call(() -> tables.getTablesByFullNamePublish(name))));
            return ExitCodes.OK;
        }
    }
}
