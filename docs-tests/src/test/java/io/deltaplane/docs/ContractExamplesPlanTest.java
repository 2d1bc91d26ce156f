package io.deltaplane.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * "Try it out"'s plan, made from the committed documents without a platform: every operation of
 * every committed document (the gateway's included) is either tried or marked {@code try: false} —
 * none drops out silently if operations.yml or a document changes shape — and most are tried.
 */
class ContractExamplesPlanTest {

    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyOperationOfEveryCommittedDocumentIsTriedOrSaysWhyNot() throws IOException {
        try (Stream<Path> documents = Files.list(CHECKOUT.resolve("platform-api/openapi"))) {
            assertThat(ContractExamples.ORDER)
                    .as("the documents tried are every committed document")
                    .containsExactlyInAnyOrderElementsOf(documents
                            .map(p -> p.getFileName().toString())
                            .filter(name -> name.endsWith(".json"))
                            .map(name -> name.substring(0, name.length() - ".json".length()))
                            .toList());
        }
        ContractExamples.Plan plan = ContractExamples.plan(CHECKOUT);
        System.out.printf(
                "try it out: %d of %d operations tried, %d marked try: false %s%n",
                plan.calls().size(), plan.operations(), plan.skipped().size(), plan.skipped());
        assertThat(plan.operations())
                .as("operations in the committed documents (metadata 83, lineage 22, gateway 17, ingest 11)")
                .isGreaterThanOrEqualTo(133);
        assertThat(plan.calls().size() + plan.skipped().size())
                .as("tried + marked try: false = every operation of the documents")
                .isEqualTo(plan.operations());
        assertThat(plan.calls().size())
                .as("most operations are tried with their pre-filled examples")
                .isGreaterThanOrEqualTo(plan.operations() * 3 / 4);
    }

    @Test
    void whatALaterExampleNeedsIsMadeBeforeItAndRemovedAfterIt() throws IOException {
        List<String> order = ContractExamples.plan(CHECKOUT).calls().stream()
                .map(call -> call.method() + " " + call.path())
                .toList();
        assertThat(order)
                .containsSubsequence(
                        "POST /api/v1/admin/principals",
                        "PUT /api/v1/admin/groups/{group}/members/{principal}",
                        "POST /api/v1/admin/api-keys",
                        "DELETE /api/v1/admin/groups/{group}/members/{principal}",
                        "DELETE /api/v1/admin/principals/{name}");
        assertThat(order)
                .containsSubsequence(
                        "POST /api/v1/catalogs",
                        "POST /api/v1/schemas",
                        "DELETE /api/v1/schemas/{fullName}",
                        "DELETE /api/v1/catalogs/{name}");
    }

    @Test
    void aBodyWithNamedExamplesIsSentOncePerExampleInOrder() throws IOException {
        ContractExamples.Call createPrincipal = ContractExamples.plan(CHECKOUT).calls().stream()
                .filter(call -> call.method().equals("POST") && call.path().equals("/api/v1/admin/principals"))
                .findFirst()
                .orElseThrow();
        assertThat(ContractExamples.jsonBodies(createPrincipal))
                .as("the group first, then the service principal that joins it")
                .containsExactly(
                        "{\"name\":\"data-engineers\",\"type\":\"group\"}",
                        "{\"name\":\"nightly-etl\",\"type\":\"service_principal\"}");
    }
}
