package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.deltaplane.metadata.MetadataTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The Iceberg REST Compatibility Kit (RCK, {@code iceberg-open-api} 1.11.0's {@code
 * RESTCompatibilityKitCatalogTests}, unchanged) run against the Iceberg door with {@code
 * rck.local=false}, as the Iceberg project runs it against a server of its own: every test that
 * reads passes, and every other is listed in {@code iceberg-rck-excluded.tsv} with the write route
 * it needs (the Iceberg client refuses it before sending, because the door's {@code /v1/config}
 * does not advertise it) — the list is checked both ways, so it is the roadmap for Iceberg writes.
 */
class IcebergCompatibilityKitTest extends MetadataTestBase {

    static final String KIT = "org.apache.iceberg.rest.RESTCompatibilityKitCatalogTests";
    static final String EXCLUDED = "/iceberg-rck-excluded.tsv";

    /** What one kit test did: passed, or the missing route it stopped at, or another failure. */
    record Outcome(TestExecutionResult.Status status, Optional<String> missingRoute, String message) {}

    @Test
    void everyReadTestPassesAndEveryOtherNeedsAWriteRouteTheDoorDoesNotServe() throws IOException {
        String catalog =
                "rck_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        ok(http.post("/api/v1/catalogs", "{\"name\":\"" + catalog + "\"}"), 201);
        Map<String, String> properties = Map.of(
                "uri",
                "http://localhost:" + port + IcebergRestController.BASE,
                "warehouse",
                catalog,
                "token",
                ADMIN_KEY,
                "rck.local",
                "false");
        Map<String, String> before = new LinkedHashMap<>();
        properties.forEach((k, v) -> before.put(k, System.getProperty(k)));
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        try {
            properties.forEach(System::setProperty);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(KIT))
                    .build();
            Launcher launcher = LauncherFactory.create();
            launcher.execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                    if (test.isTest()) {
                        String message = result.getThrowable()
                                .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                                .orElse("");
                        outcomes.put(name(test), new Outcome(result.getStatus(), missingRoute(message), message));
                    }
                }
            });
        } finally {
            before.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }

        Map<String, String> excluded = excluded();
        Map<String, String> failedForARoute = new TreeMap<>();
        Map<String, String> failedOtherwise = new TreeMap<>();
        Map<String, String> skippedByTheKit = new TreeMap<>();
        int passed = 0;
        for (Map.Entry<String, Outcome> entry : outcomes.entrySet()) {
            Outcome outcome = entry.getValue();
            if (outcome.status() == TestExecutionResult.Status.SUCCESSFUL) {
                passed++;
            } else if (outcome.missingRoute().isPresent()) {
                failedForARoute.put(entry.getKey(), outcome.missingRoute().get());
            } else if (outcome.status() == TestExecutionResult.Status.ABORTED) {
                // the kit's own assumptions about the catalog (nested namespaces, dots in names, …)
                skippedByTheKit.put(entry.getKey(), outcome.message());
            } else {
                failedOtherwise.put(entry.getKey(), outcome.message());
            }
        }
        System.out.printf(
                "Iceberg RCK: %d tests, %d passed, %d need a write route the door does not serve, %d skipped by the kit's"
                        + " assumptions, %d failed otherwise%n",
                outcomes.size(), passed, failedForARoute.size(), skippedByTheKit.size(), failedOtherwise.size());
        failedForARoute.forEach((test, route) -> System.out.println("RCK-EXCLUDED\t" + test + "\t" + route));
        failedOtherwise.forEach((test, message) -> System.out.println("RCK-FAILED\t" + test + "\t" + message));
        assertThat(outcomes).as("the kit ran").hasSizeGreaterThan(50);
        assertThat(failedOtherwise)
                .as("kit tests that failed for another reason than a write route")
                .isEmpty();
        assertThat(failedForARoute)
                .as("the tests needing a write route are exactly the listed ones, each for its listed route")
                .isEqualTo(excluded);
        assertThat(passed).as("the kit's read tests pass").isPositive();
    }

    /** The kit's method, and for a parameterized one its invocation's display name. */
    private static String name(TestIdentifier test) {
        String method = test.getSource()
                .filter(source -> source instanceof org.junit.platform.engine.support.descriptor.MethodSource)
                .map(source -> ((org.junit.platform.engine.support.descriptor.MethodSource) source).getMethodName())
                .orElse(test.getDisplayName());
        String display = test.getDisplayName().replaceAll("\\(.*\\)$", "");
        return display.equals(method) ? method : method + " " + display;
    }

    private static final java.util.regex.Pattern ROUTE =
            java.util.regex.Pattern.compile("does not support endpoint: ((?:GET|HEAD|POST|PUT|DELETE) /v1/\\S+)");

    /** "Server does not support endpoint: POST /v1/{prefix}/namespaces" names the route. */
    static Optional<String> missingRoute(String message) {
        java.util.regex.Matcher route = ROUTE.matcher(message);
        return route.find() ? Optional.of(route.group(1)) : Optional.empty();
    }

    private static Map<String, String> excluded() throws IOException {
        Map<String, String> excluded = new TreeMap<>();
        try (InputStream in = IcebergCompatibilityKitTest.class.getResourceAsStream(EXCLUDED)) {
            if (in == null) {
                return excluded;
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                excluded.put(parts[0], parts[1]);
            }
        }
        return excluded;
    }
}
