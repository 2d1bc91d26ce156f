package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Builds the Python package into a throw-away virtual environment (system site packages: the
 * runtime dependencies are the machine's, nothing is downloaded) and runs its pytest suite against
 * the real apps ({@link EndToEndPlatform}: metadata, lineage, ingest over an embedded KRaft broker,
 * and the gateway). The package is the Python SDK module's ({@code platform-api/clients/python}),
 * built before this one.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class PythonSdkTest {

    /** The Python package's folder: pip builds it from there (its build generated the low-level clients). */
    private static final Path MODULE =
            Path.of("..", "clients", "python").toAbsolutePath().normalize();

    private static final Path LOGS = Path.of("target", "python").toAbsolutePath();
    private static final String SSO_PRINCIPAL = "python-sso@example.com";

    @Test
    void theSdkInstallsOfflineAndItsPytestSuitePassesAgainstTheRealApps(EndToEndPlatform platform) throws Exception {
        Path venv = LOGS.resolveSibling("venv");
        Path logs = Files.createDirectories(LOGS);
        run(
                logs.resolve("venv.log"),
                Map.of(),
                "python3",
                "-m",
                "venv",
                "--clear",
                "--system-site-packages",
                venv.toString());
        Path python = venv.resolve("bin/python");
        run(
                logs.resolve("pip.log"),
                Map.of(),
                python.toString(),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-build-isolation",
                "--no-index",
                MODULE.toString());
        run(
                logs.resolve("pytest.log"),
                Map.of(
                        "DELTAPLANE_API_URL", platform.gatewayUrl(),
                        "DELTAPLANE_API_KEY", platform.adminKey(),
                        "DELTAPLANE_TEST_KAFKA", platform.kafkaBootstrapServers(),
                        "DELTAPLANE_TEST_SCENARIOS", Scenarios.file().toString(),
                        "DELTAPLANE_TEST_TOKEN_PRINCIPAL", SSO_PRINCIPAL,
                        "DELTAPLANE_TEST_TOKEN", platform.oidc().token(SSO_PRINCIPAL, Map.of("email", SSO_PRINCIPAL)),
                        "DELTAPLANE_TEST_TOKEN_OTHER_AUDIENCE",
                                platform.oidc()
                                        .token(
                                                SSO_PRINCIPAL,
                                                List.of("another-app"),
                                                Map.of("email", SSO_PRINCIPAL),
                                                3600)),
                python.toString(),
                "-m",
                "pytest",
                "-p",
                "no:cacheprovider",
                "-q",
                "--junitxml=" + logs.resolve("pytest-junit.xml"),
                MODULE.resolve("tests").toString());
    }

    private static void run(Path log, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command))
                .directory(MODULE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = builder.start();
        boolean finished = process.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(output.lines().toList());
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 150), lines.size()));
        assertThat(finished && process.exitValue() == 0)
                .as("`%s` failed (full output in %s):%n%s", String.join(" ", command), log, tail)
                .isTrue();
    }
}
