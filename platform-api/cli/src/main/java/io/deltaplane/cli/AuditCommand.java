package io.deltaplane.cli;

import io.deltaplane.client.generated.gateway.api.AuditApi;
import io.deltaplane.client.generated.gateway.model.AuditEvent;
import io.deltaplane.client.generated.gateway.model.AuditPage;
import io.deltaplane.client.generated.gateway.model.ChainVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code deltaplane audit list|export|verify}: who did what ({@code /api/v1/audit}), as a table,
 * as JSON lines for a SIEM, and a walk of the trail's hash chain (admin).
 */
@Command(
        name = "audit",
        description = "The audit trail: list, export (JSON lines), verify the hash chain.",
        subcommands = {AuditCommand.List.class, AuditCommand.Export.class, AuditCommand.Verify.class})
final class AuditCommand extends GroupCommand {

    /** Events asked for per page (the API's most). */
    static final int PAGE = 1000;

    /** The filters both listing commands take. */
    abstract static class Filtered extends CliCommand {
        @Option(names = "--principal")
        String principal;

        @Option(names = "--securable", description = "c, c.s or c.s.t (and what is inside it)")
        String securable;

        @Option(names = "--action", description = "METHOD and route, e.g. 'POST /api/v1/tables/{fullName}/commits'")
        String action;

        @Option(names = "--since", description = "ISO-8601 instant")
        String since;

        @Option(names = "--until", description = "ISO-8601 instant")
        String until;

        /** One page of the matching events, newest first. */
        AuditPage page(String pageToken) {
            AuditApi audit = new AuditApi(cli().client().generated().gateway());
            return call(() -> audit.getAudit(principal, securable, action, since, until, PAGE, pageToken));
        }
    }

    @Command(name = "list", description = "The newest events (one page), newest first.")
    static final class List extends Filtered {
        @Override
        public Integer call() {
            output().list(
                            tree(page(null).getEvents()),
                            "at",
                            "principal",
                            "action",
                            "securable_name",
                            "status",
                            "outcome");
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", description = "Every matching event as JSON lines, newest first.")
    static final class Export extends Filtered {
        @Override
        public Integer call() {
            String token = null;
            do {
                AuditPage page = page(token);
                for (AuditEvent event : page.getEvents()) {
                    output().line(tree(event).toString());
                }
                token = page.getNextPageToken();
            } while (token != null);
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", description = "Walk the hash chain (admin); exits 9 when a row was changed or deleted.")
    static final class Verify extends CliCommand {
        @Override
        public Integer call() {
            ChainVerification verified = call(() -> admin().getAdminAuditVerify());
            output().object(tree(verified));
            return Boolean.TRUE.equals(verified.getIntact()) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }
}
