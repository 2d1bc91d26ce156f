package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
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

    static final String AUDIT = "/api/v1/audit";

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

        String query(String pageToken) {
            StringBuilder query = new StringBuilder(AUDIT + "?max_results=1000");
            append(query, "principal", principal);
            append(query, "securable", securable);
            append(query, "action", action);
            append(query, "since", since);
            append(query, "until", until);
            append(query, "page_token", pageToken);
            return query.toString();
        }

        private static void append(StringBuilder query, String name, String value) {
            if (value != null) {
                query.append('&').append(name).append('=').append(encode(value));
            }
        }
    }

    @Command(name = "list", description = "The newest events (one page), newest first.")
    static final class List extends Filtered {
        @Override
        public Integer call() {
            output().list(
                            cli().http().get(query(null)).path("events"),
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
                JsonNode page = cli().http().get(query(token));
                for (JsonNode event : page.path("events")) {
                    output().line(event.toString());
                }
                token = page.path("next_page_token").isTextual()
                        ? page.path("next_page_token").asText()
                        : null;
            } while (token != null);
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", description = "Walk the hash chain (admin); exits 9 when a row was changed or deleted.")
    static final class Verify extends CliCommand {
        @Override
        public Integer call() {
            JsonNode verified = cli().http().get("/api/v1/admin/audit/verify");
            output().object(verified);
            return verified.path("intact").asBoolean() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        }
    }
}
