package io.deltaplane.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * "Try it out"'s plan, made from the committed documents without a platform: every operation of the
 * metadata, ingest and lineage documents is either tried or marked {@code try: false} — none drops
 * out silently if operations.yml or a document changes shape — and most are tried.
 */
class ContractExamplesPlanTest {

    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyOperationOfTheThreeDocumentsIsTriedOrSaysWhyNot() throws IOException {
        ContractExamples.Plan plan = ContractExamples.plan(CHECKOUT);
        System.out.printf(
                "try it out: %d of %d operations tried, %d marked try: false %s%n",
                plan.calls().size(), plan.operations(), plan.skipped().size(), plan.skipped());
        assertThat(plan.operations())
                .as("operations in the committed documents")
                .isGreaterThan(90);
        assertThat(plan.calls().size() + plan.skipped().size())
                .as("tried + marked try: false = every operation of the documents")
                .isEqualTo(plan.operations());
        assertThat(plan.calls().size())
                .as("most operations are tried with their pre-filled examples")
                .isGreaterThanOrEqualTo(plan.operations() * 3 / 4);
    }
}
