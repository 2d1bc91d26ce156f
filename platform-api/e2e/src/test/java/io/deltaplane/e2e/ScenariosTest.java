package io.deltaplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.deltaplane.client.Deltaplane;
import io.deltaplane.e2e.Scenarios.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one scenario list ({@code scenarios.json}) through the Java client and through the CLI, each
 * under a prefix of its own on the shared platform ({@link EndToEndPlatform}); the Python SDK's suite
 * runs the same file ({@link PythonSdkTest}). Last, every step of the list ran through both.
 */
@ExtendWith(EndToEndPlatform.Shared.class)
class ScenariosTest {

    private static Deltaplane client;
    private static EndToEndPlatform platform;

    @BeforeAll
    static void connect(EndToEndPlatform shared) {
        platform = shared;
        client = Deltaplane.builder()
                .url(shared.gatewayUrl())
                .apiKey(shared.adminKey())
                .build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioThroughTheJavaClientAndTheCli() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        AtomicInteger ran = new AtomicInteger();
        int steps = 0;
        for (Client via : List.of(
                new Client("java client", "sc_java_", new JavaClientScenarios(ScenariosTest.client)),
                new Client("cli", "sc_cli_", new CliScenarios(platform.gatewayUrl(), platform.adminKey())))) {
            for (Scenario scenario : Scenarios.load(via.prefix() + unique())) {
                steps += scenario.steps().size();
                tests.add(dynamicTest(
                        via.name() + ": " + scenario.name(),
                        () -> ran.addAndGet(Scenarios.run(scenario, via.driver()))));
            }
        }
        int planned = steps;
        assertThat(planned).as("steps in scenarios.json").isPositive();
        tests.add(dynamicTest(
                "every step ran through both clients",
                () -> assertThat(ran.get()).as("steps run").isEqualTo(planned)));
        return tests.stream();
    }

    /** A client the scenarios run through, and the prefix of what it creates. */
    private record Client(String name, String prefix, Scenarios.Driver driver) {}

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }
}
