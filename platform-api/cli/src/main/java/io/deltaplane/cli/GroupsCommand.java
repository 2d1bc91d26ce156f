package io.deltaplane.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code deltaplane groups members|add|remove}: group membership (admin). */
@Command(
        name = "groups",
        description = "Group membership (admin): members, add, remove.",
        subcommands = {GroupsCommand.Members.class, GroupsCommand.Add.class, GroupsCommand.Remove.class})
final class GroupsCommand extends GroupCommand {

    @Command(name = "members", description = "The principals directly in a group.")
    static final class Members extends CliCommand {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        public Integer call() {
            var rows = cli().json().createArrayNode();
            call(() -> admin().getAdminGroupsByGroupMembers(group))
                    .getMembers()
                    .forEach(m -> rows.addObject().put("principal", m));
            output().list(rows, "principal");
            return ExitCodes.OK;
        }
    }

    /** A group and a principal: a membership. */
    abstract static class Membership extends CliCommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Parameters(index = "1", paramLabel = "PRINCIPAL")
        String principal;
    }

    @Command(name = "add", description = "Put a principal into a group.")
    static final class Add extends Membership {
        @Override
        public Integer call() {
            act(() -> admin().putAdminGroupsByGroupMembersByPrincipal(group, principal));
            output().message("added " + principal + " to " + group);
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", description = "Take a principal out of a group.")
    static final class Remove extends Membership {
        @Override
        public Integer call() {
            act(() -> admin().deleteAdminGroupsByGroupMembersByPrincipal(group, principal));
            output().message("removed " + principal + " from " + group);
            return ExitCodes.OK;
        }
    }
}
