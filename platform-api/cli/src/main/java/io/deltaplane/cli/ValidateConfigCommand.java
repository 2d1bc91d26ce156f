package io.deltaplane.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.deltaplane.client.DeltaplaneConfig;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.InvalidConfigurationException;
import io.deltaplane.client.generated.metadata.api.CatalogsApi;
import picocli.CommandLine.Command;

/**
 * {@code deltaplane validate-config}: are the settings well formed, does the URL answer, is the
 * key accepted, and what may it do? Never prints the key.
 */
@Command(name = "validate-config", description = "Check the settings, the connection and the API key.")
final class ValidateConfigCommand extends CliCommand {

    @Override
    public Integer call() {
        ArrayNode checks = cli().json().createArrayNode();
        DeltaplaneConfig config;
        try {
            config = cli().config();
            check(checks, "settings", true, "url " + config.url() + ", " + config.credentials());
        } catch (InvalidConfigurationException e) {
            check(checks, "settings", false, e.getMessage());
            output().list(checks, "check", "ok", "detail");
            return ExitCodes.INVALID_CONFIGURATION;
        }
        boolean ok = reachable(checks) && authenticated(checks);
        output().list(checks, "check", "ok", "detail");
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private boolean reachable(ArrayNode checks) {
        try {
            cli().http().getOpen("/actuator/health");
            return check(checks, "gateway", true, "answers at " + cli().config().url());
        } catch (DeltaplaneException e) {
            return check(checks, "gateway", false, e.getMessage());
        }
    }

    private boolean authenticated(ArrayNode checks) {
        try {
            call(() -> new CatalogsApi(cli().client().generated().metadata()).getCatalogs(1, null));
        } catch (DeltaplaneException e) {
            return check(checks, "api key", false, e.getMessage());
        }
        check(checks, "api key", true, "accepted (read)");
        try {
            call(() -> admin().getAdminApiKeys());
            check(checks, "scope", true, "admin");
        } catch (DeltaplaneException e) {
            check(checks, "scope", true, e.status() == 403 ? "read or write (not admin)" : e.getMessage());
        }
        return true;
    }

    private static boolean check(ArrayNode checks, String name, boolean ok, String detail) {
        checks.addObject().put("check", name).put("ok", ok).put("detail", detail);
        return ok;
    }
}
