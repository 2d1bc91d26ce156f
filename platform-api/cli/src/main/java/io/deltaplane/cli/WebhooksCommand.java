package io.deltaplane.cli;

import io.deltaplane.client.generated.metadata.api.HealthApi;
import io.deltaplane.client.generated.metadata.model.WebhookRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code deltaplane webhooks list|create|delete}: subscriptions of health incidents ({@code
 * /api/v1/health/webhooks}); secrets are named by reference, never given.
 */
@Command(
        name = "webhooks",
        description = "Webhooks that receive the health incidents of tables you may read: list, create, delete.",
        subcommands = {WebhooksCommand.List.class, WebhooksCommand.Create.class, WebhooksCommand.Delete.class})
final class WebhooksCommand extends GroupCommand {

    static HealthApi api(CliCommand command) {
        return new HealthApi(command.cli().client().generated().metadata());
    }

    @Command(name = "list", description = "Your webhooks (an admin's: all); secrets as their references.")
    static final class List extends CliCommand {
        @Override
        public Integer call() {
            output().list(
                            tree(call(() -> api(this).getHealthWebhooks()).getWebhooks()),
                            "name",
                            "owner",
                            "url",
                            "url_secret",
                            "signing_secret",
                            "format",
                            "catalog_name");
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Subscribe a webhook (its host must be one the operator allows).")
    static final class Create extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--url", description = "where incidents are POSTed")
        String url;

        @Option(names = "--url-secret", description = "instead of --url: DELTAPLANE_SECRET_* holding the URL")
        String urlSecret;

        @Option(names = "--signing-secret", description = "DELTAPLANE_SECRET_* holding the HMAC key")
        String signingSecret;

        @Option(names = "--format", description = "json (default) or slack")
        String format;

        @Option(names = "--catalog", description = "only this catalog's tables")
        String catalog;

        @Override
        public Integer call() {
            WebhookRequest request = new WebhookRequest()
                    .name(name)
                    .url(url)
                    .urlSecret(urlSecret)
                    .signingSecret(signingSecret)
                    .format(format)
                    .catalogName(catalog);
            output().object(tree(call(() -> api(this).postHealthWebhooks(request))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete one of your webhooks.")
    static final class Delete extends CliCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            call(() -> {
                api(this).deleteHealthWebhooksByName(name);
                return null;
            });
            output().message("deleted webhook " + name);
            return ExitCodes.OK;
        }
    }
}
