package io.deltaplane.cli;

import io.deltaplane.client.generated.gateway.model.CreateApiKeyRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code deltaplane keys create|list|revoke}: the gateway's admin API for API keys (admin scope). */
@Command(
        name = "keys",
        description = "API keys (admin): create, list, revoke.",
        subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class})
final class KeysCommand extends GroupCommand {

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
            var request =
                    new CreateApiKeyRequest().name(name).principal(principal).scope(scope);
            output().object(tree(call(() -> admin().postAdminApiKeys(request))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Every key (prefix, scope, active), never the secret.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            output().list(
                            tree(call(() -> admin().getAdminApiKeys()).getApiKeys()),
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
            act(() -> admin().deleteAdminApiKeysById(id));
            output().message("revoked key " + id);
            return ExitCodes.OK;
        }
    }
}
