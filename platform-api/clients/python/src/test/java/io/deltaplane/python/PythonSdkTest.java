package io.deltaplane.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.OidcProvider;
import io.deltaplane.testing.PlatformApps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Builds the Python package into a throw-away virtual environment (system site packages: the
 * runtime dependencies are the machine's, nothing is downloaded) and runs its pytest suite against
 * the real apps — metadata, lineage, ingest (over an embedded KRaft broker) and the gateway.
 */
class PythonSdkTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static EmbeddedKafkaKraftBroker kafka;
    private static PlatformApps apps;
    private static OidcProvider oidc;
    private static final String SSO_PRINCIPAL = "python-sso@example.com";

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        // a real OpenID Connect provider every app trusts, for tests/test_single_sign_on.py
        oidc = OidcProvider.start();
        apps = PlatformApps.start(kafka.getBrokersAsString(), Map.of(), oidc.trustedBy());
    }

    @AfterAll
    static void stop() {
        if (apps != null) {
            apps.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
        if (oidc != null) {
            oidc.close();
        }
    }

    @Test
    void theSdkInstallsOfflineAndItsPytestSuitePassesAgainstTheRealApps() throws Exception {
        Path venv = MODULE.resolve("target/venv");
        Path logs = Files.createDirectories(MODULE.resolve("target/python"));
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
                        "DELTAPLANE_API_URL", apps.gatewayUrl(),
                        "DELTAPLANE_API_KEY", PlatformApps.ADMIN_KEY,
                        "DELTAPLANE_TEST_KAFKA", kafka.getBrokersAsString(),
                        "DELTAPLANE_TEST_TOKEN_PRINCIPAL", SSO_PRINCIPAL,
                        "DELTAPLANE_TEST_TOKEN", oidc.token(SSO_PRINCIPAL, Map.of("email", SSO_PRINCIPAL)),
                        "DELTAPLANE_TEST_TOKEN_OTHER_AUDIENCE",
                                oidc.token(
                                        SSO_PRINCIPAL, List.of("another-app"), Map.of("email", SSO_PRINCIPAL), 3600)),
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
