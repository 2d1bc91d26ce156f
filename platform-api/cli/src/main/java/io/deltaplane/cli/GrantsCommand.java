package io.deltaplane.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane grants show|grant|revoke|effective|owner}: Unity Catalog privileges on the
 * metastore, a catalog, a schema or a table ({@code /api/2.1/unity-catalog/permissions}), and who
 * owns one (UC's PATCH of the securable with {@code owner}).
 */
@Command(
        name = "grants",
        description = "Privileges on securables: show, grant, revoke, effective; owner transfers ownership.",
        subcommands = {
            GrantsCommand.Show.class,
            GrantsCommand.Grant.class,
            GrantsCommand.Revoke.class,
            GrantsCommand.Effective.class,
            GrantsCommand.Owner.class
        })
final class GrantsCommand extends GroupCommand {

    static String permissions(String type, String name) {
        return "/api/2.1/unity-catalog/permissions/" + CliCommand.encode(type) + "/" + CliCommand.encode(name);
    }

    @Command(name = "show", description = "The privileges granted directly on a securable, by principal.")
    static final class Show extends CliCommand {
        @Parameters(
                index = "0",
                paramLabel = "TYPE",
                description = "metastore, catalog, schema, table (or view), volume, function, registered_model,"
                        + " external_location or credential")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "metastore, c, c.s, c.s.t or a location's name")
        String name;

        @Override
        public Integer call() {
            output().list(
                            cli().http().get(permissions(type, name)).path("privilege_assignments"),
                            "principal",
                            "privileges");
            return ExitCodes.OK;
        }
    }

    @Command(name = "grant", description = "Grant privileges on a securable to a principal.")
    static final class Grant extends Change {
        Grant() {
            super("add");
        }
    }

    @Command(name = "revoke", description = "Revoke privileges on a securable from a principal.")
    static final class Revoke extends Change {
        Revoke() {
            super("remove");
        }
    }

    abstract static class Change extends CliCommand {
        private final String field;

        @Parameters(
                index = "0",
                paramLabel = "TYPE",
                description = "metastore, catalog, schema, table (or view), volume, function, registered_model,"
                        + " external_location or credential")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "metastore, c, c.s, c.s.t or a location's name")
        String name;

        @Option(
                names = {"--to", "--from"},
                required = true,
                description = "the principal")
        String principal;

        @Parameters(index = "2..*", arity = "1..*", paramLabel = "PRIVILEGE", description = "e.g. USE_CATALOG SELECT")
        java.util.List<String> privileges;

        Change(String field) {
            this.field = field;
        }

        @Override
        public Integer call() {
            ObjectNode body = cli().json().createObjectNode();
            ObjectNode change = body.putArray("changes").addObject().put("principal", principal);
            ArrayNode list = change.putArray(field);
            privileges.forEach(list::add);
            output().list(
                            cli().http().patch(permissions(type, name), body).path("privilege_assignments"),
                            "principal",
                            "privileges");
            return ExitCodes.OK;
        }
    }

    @Command(name = "effective", description = "What a principal (default: you) holds on a securable, and from where.")
    static final class Effective extends CliCommand {
        @Parameters(index = "0", paramLabel = "TYPE")
        String type;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--principal")
        String principal;

        @Override
        public Integer call() {
            String path = "/api/2.1/unity-catalog/effective-permissions/" + encode(type) + "/" + encode(name)
                    + (principal == null ? "" : "?principal=" + encode(principal));
            output().list(
                            cli().http()
                                    .get(path)
                                    .path("privilege_assignments")
                                    .path(0)
                                    .path("privileges"),
                            "privilege",
                            "inherited_from_type",
                            "inherited_from_name");
            return ExitCodes.OK;
        }
    }

    @Command(name = "owner", description = "Make a principal or group the owner of a catalog, schema or table.")
    static final class Owner extends CliCommand {
        @Parameters(index = "0", paramLabel = "TYPE", description = "catalog, schema or table")
        String type;

        @Parameters(index = "1", paramLabel = "NAME", description = "c, c.s or c.s.t")
        String name;

        @Parameters(index = "2", paramLabel = "PRINCIPAL")
        String owner;

        @Override
        public Integer call() {
            String collection = switch (type) {
                case "catalog" -> "catalogs";
                case "schema" -> "schemas";
                case "table" -> "tables";
                default ->
                    throw new picocli.CommandLine.ParameterException(
                            spec.commandLine(), "TYPE is catalog, schema or table, not " + type);
            };
            ObjectNode body = cli().json().createObjectNode().put("owner", owner);
            var answer = cli().http().patch("/api/2.1/unity-catalog/" + collection + "/" + encode(name), body);
            output().message(type + " " + name + " is owned by "
                    + answer.path("owner").asText(owner));
            return ExitCodes.OK;
        }
    }
}
