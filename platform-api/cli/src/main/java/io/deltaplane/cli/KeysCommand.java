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

        @Option(names = "--scope", required = true, description = "read, write or admin")
        String scope;

        @Override
        public Integer call() {
            JsonNode created = cli().http()
                    .post(
                            KEYS,
                            cli().json().createObjectNode().put("name", name).put("scope", scope));
            output().object(created);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Every key (prefix, scope, active), never the secret.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            output().list(cli().http().get(KEYS).path("api_keys"), "id", "name", "prefix", "scope", "active");
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
