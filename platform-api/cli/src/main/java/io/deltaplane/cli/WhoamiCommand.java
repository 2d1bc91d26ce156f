package io.deltaplane.cli;

import picocli.CommandLine.Command;

/** {@code deltaplane whoami}: the principal the configured key acts for, its groups and scope. */
@Command(name = "whoami", description = "The principal your key acts for, its groups, and the key's scope.")
final class WhoamiCommand extends CliCommand {

    @Override
    public Integer call() {
        output().object(cli().http().get("/api/v1/me"));
        return ExitCodes.OK;
    }
}
