package io.deltaplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `helm lint`, and values.schema.json turning wrong values into install-time errors. */
class HelmValuesValidationTest {

    private static final Pattern VALUE_PATH = Pattern.compile("at '(/[^']*)'");
    private static final List<String> REQUIRED_PATHS =
            List.of("/database", "/database/host", "/database/existingSecret", "/auth", "/auth/existingSecret");

    @Test
    void theChartLintsCleanOnceTheRequiredValuesAreGiven(@TempDir Path tmp) throws IOException {
        // helm-java's lint takes no values file: lint a copy whose values.yaml carries the required ones.
        Path chart = copyChart(tmp);
        Map<String, Object> values = Chart.merge(Yamls.load(chart.resolve("values.yaml")), Chart.requiredValues());
        Files.writeString(chart.resolve("values.yaml"), Yamls.yaml().dump(values));

        LintResult lint = new Helm(chart).lint().strict().call();

        assertThat(lint.isFailed()).as("lint: %s", lint.getMessages()).isFalse();
    }

    @Test
    void theChartAsShippedFailsLintOnlyForTheValuesAnOperatorMustGive() {
        LintResult lint = new Helm(Repository.CHART).lint().call();

        assertThat(lint.isFailed()).isTrue();
        String report = String.join("\n", lint.getMessages());
        assertThat(report).contains("/database/host", "/database/existingSecret", "/auth/existingSecret");
        assertThat(VALUE_PATH.matcher(report).results().map(m -> m.group(1)))
                .as("lint report: %s", report)
                .isNotEmpty()
                .allMatch(REQUIRED_PATHS::contains);
    }

    @Test
    void missingRequiredValuesAreRejected() {
        assertRejected(Map.of("database", Map.of("host", "")), "/database/host");
        assertRejected(Map.of("database", Map.of("existingSecret", "")), "/database/existingSecret");
        assertRejected(Map.of("auth", Map.of("existingSecret", "")), "/auth/existingSecret");
    }

    @Test
    void singleSignOnIssuersAreUrlsOneEach() {
        assertRejected(
                Map.of("auth", Map.of("existingSecret", "a", "oidc", Map.of("issuers", List.of("login.example.com")))),
                "/auth/oidc/issuers/0");
        assertRejected(
                Map.of(
                        "auth",
                        Map.of(
                                "existingSecret",
                                "a",
                                "oidc",
                                Map.of("issuers", List.of("https://a.example,https://b")))),
                "/auth/oidc/issuers/0");
        assertRejected(
                Map.of("auth", Map.of("existingSecret", "a", "trustedProxies", List.of("any"))),
                "/auth/trustedProxies/0");
    }

    @Test
    void wrongTypesAndRangesAreRejected() {
        assertRejected(Map.of("gateway", Map.of("replicaCount", "abc")), "/gateway/replicaCount");
        assertRejected(Map.of("metadata", Map.of("port", 70000)), "/metadata/port");
        assertRejected(Map.of("jvm", Map.of("maxRamPercentage", 150)), "/jvm/maxRamPercentage");
        assertRejected(Map.of("lineage", Map.of("service", Map.of("type", "Public"))), "/lineage/service/type");
        assertRejected(
                Map.of("gateway", Map.of("autoscaling", Map.of("minReplicas", 0))), "/gateway/autoscaling/minReplicas");
        assertRejected(Map.of("database", Map.of("name", "delta plane")), "/database/name");
        assertRejected(Map.of("ingest", Map.of("warehouse", Map.of("mode", "sqlite"))), "/ingest/warehouse/mode");
    }

    @Test
    void unknownKeysAreRejectedSoTyposDoNotPassSilently() {
        assertRejected(Map.of("gateway", Map.of("replicas", 3)), "replicas");
        assertRejected(Map.of("databse", Map.of("host", "pg")), "databse");
    }

    @Test
    void aMemoryLimitIsRequiredBecauseTheHeapIsSizedFromIt() {
        Map<String, Object> noMemoryLimit = new HashMap<>();
        noMemoryLimit.put("memory", null); // null deletes a default in Helm
        noMemoryLimit.put("cpu", "1");
        assertRejected(Map.of("metadata", Map.of("resources", Map.of("limits", noMemoryLimit))), "memory");
    }

    @Test
    void secretValuesCannotBeGivenInPlainText() {
        assertRejected(Map.of("database", Map.of("password", "hunter2-plaintext")), "password");
        assertRejected(Map.of("auth", Map.of("adminApiKey", "hunter2-plaintext")), "adminApiKey");
        assertRejected(
                Map.of("ingest", Map.of("warehouse", Map.of("motherduck", Map.of("token", "hunter2-plaintext")))),
                "token");
    }

    @Test
    void aLocalDuckdbFileAllowsOneIngestWorker() {
        assertRejected(Map.of("ingest", Map.of("replicaCount", 2)), "/ingest/replicaCount");
        // The same count is fine against MotherDuck, which takes concurrent writers.
        Chart.render(Chart.merge(
                Chart.requiredValues(),
                Map.of(
                        "ingest",
                        Map.of(
                                "replicaCount",
                                2,
                                "warehouse",
                                Map.of(
                                        "mode",
                                        "motherduck",
                                        "motherduck",
                                        Map.of("database", "lake", "existingSecret", "md-token"))))));
    }

    @Test
    void motherduckNeedsADatabaseAndATokenSecret() {
        assertRejected(
                Map.of(
                        "ingest",
                        Map.of("warehouse", Map.of("mode", "motherduck", "motherduck", Map.of("database", "lake")))),
                "existingSecret");
        assertRejected(
                Map.of(
                        "ingest",
                        Map.of(
                                "warehouse",
                                Map.of("mode", "motherduck", "motherduck", Map.of("existingSecret", "md")))),
                "database");
    }

    private static void assertRejected(Map<String, Object> override, String expectedInMessage) {
        assertThatThrownBy(() -> Chart.render(Chart.merge(Chart.requiredValues(), override)))
                .as("values %s", override)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(expectedInMessage)
                .message()
                .doesNotContain("hunter2-plaintext");
    }

    private static Path copyChart(Path target) throws IOException {
        Path chart = target.resolve("deltaplane");
        try (Stream<Path> files = Files.walk(Repository.CHART)) {
            for (Path source : files.toList()) {
                Path destination =
                        chart.resolve(Repository.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
        return chart;
    }
}
