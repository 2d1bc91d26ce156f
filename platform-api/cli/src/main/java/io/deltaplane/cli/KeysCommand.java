package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane keys create|list|revoke}: the gateway's admin API for API keys (admin scope). */
@Command(
        name = "keys",
        description = "API keys (admin): create, list, revoke.",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class})
final class KeysCommand extends GroupCommand {

    static final String KEYS = "/api/v1/admin/api-keys";

    @Command(name = "create", description = "Create a key; the key itself is printed once, here only.")
    static final class Create extends CliCommand {
        @Option(names = "--name", required = true)
        String name;

        @Option(names = "--principal", description = "the principal the key acts for, with its grants")
        String principal;

        @Option(
                names = "--scope",
                description = "read, write or admin: the most the key may do (required without --principal)")
        String scope;

        @Override
        public Integer call() {
            var body = cli().json().createObjectNode().put("name", name);
            if (principal != null) {
                body.put("principal", principal);
            }
            if (scope != null) {
                body.put("scope", scope);
            }
            JsonNode created = cli().http().post(KEYS, body);
            output().object(created);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Every key (prefix, scope, active), never the secret.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            output().list(
                            cli().http().get(KEYS).path("api_keys"),
                            "id",
                            "name",
                            "prefix",
                            "principal",
                            "scope",
                            "active");
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a key; it stops working everywhere within a second.")
    static final class Revoke extends CliCommand {
        @Parameters(paramLabel = "KEY_ID")
        String id;

        @Override
        public Integer call() {
            cli().http().delete(KEYS + "/" + encode(id));
            output().message("revoked key " + id);
            return ExitCodes.OK;
        }
    }
}
