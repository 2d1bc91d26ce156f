package io.deltaplane.cli;

import io.deltaplane.client.generated.gateway.api.MeApi;
import picocli.CommandLine.Command;

/** {@code deltaplane whoami}: the principal the configured key acts for, its groups and scope. */
@Command(name = "whoami", description = "The principal your key acts for, its groups, and the key's scope.")
final class WhoamiCommand extends CliCommand {

    @Override
    public Integer call() {
        output().object(tree(call(() -> new MeApi(cli().client().generated().gateway()).getMe())));
        return ExitCodes.OK;
    }
}
