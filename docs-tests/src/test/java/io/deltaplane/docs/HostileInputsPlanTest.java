package io.deltaplane.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input probe's plan, made from the committed documents without a platform: it covers
 * the gateway's own operations, resolves every body schema it follows, and promises wrong-type
 * bodies for the typed fields of the documents' examples — the walk-through then asserts it sent
 * exactly this plan.
 */
class HostileInputsPlanTest {

    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void thePlanFollowsEveryBodySchemaOfTheFourDocuments() throws IOException {
        HostileInputs.Plan plan = HostileInputs.plan(CHECKOUT);
        System.out.printf(
                "hostile-input plan: %d requests, %d wrong-type bodies%n",
                plan.attempts().size(), plan.count("of the wrong type"));

        assertThat(plan.unresolved())
                .as("body schemas whose $ref names nothing")
                .isEmpty();
        assertThat(plan.attempts())
                .as("the gateway's own operations are probed")
                .anySatisfy(a -> assertThat(a.path()).startsWith("/api/v1/admin/api-keys"));
        // Typed fields of the examples (commits' expected_version, mappings' names, keys' scopes …)
        // are sent with the wrong type: these come from $ref'd schemas only.
        assertThat(plan.count("of the wrong type")).isGreaterThanOrEqualTo(31);
        assertThat(plan.attempts())
                .anySatisfy(a -> assertThat(a.what()).isEqualTo("expected_version of the wrong type"));
    }
}
