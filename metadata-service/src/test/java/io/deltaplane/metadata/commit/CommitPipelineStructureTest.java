package io.deltaplane.metadata.commit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.deltaplane.metadata.MetadataErrors;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One commit pipeline, checked over the compiled classes: {@link CommitPipeline} is the one caller
 * of {@link CommitWriter}, and a commit's expected version is checked before the write in one place
 * ({@link CommitPipeline#requireAt}); the other 409s for a version explain a compare-and-swap that
 * missed or a staged version another writer took.
 */
class CommitPipelineStructureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.deltaplane.metadata");
    }

    @Test
    void theCommitPipelineIsTheOneCallerOfTheCommitWriter() {
        DescribedPredicate<JavaCall<?>> aWriterMethod = DescribedPredicate.describe(
                "a method of CommitWriter", call -> call.getTargetOwner().isEquivalentTo(CommitWriter.class));
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(CommitPipeline.class.getName())
                .and()
                .doNotHaveFullyQualifiedName(CommitWriter.class.getName())
                .should()
                .callMethodWhere(aWriterMethod)
                .check(classes);
        // the rule sees calls: the pipeline's own are found, so it is not vacuous
        assertThat(callers(CommitWriter.class.getName(), null)).containsExactly(CommitPipeline.class.getName());
    }

    @Test
    void theExpectedVersionIsCheckedInOnePlace() {
        assertThat(callers(MetadataErrors.class.getName(), "versionConflict"))
                .containsExactlyInAnyOrder(
                        CommitPipeline.class.getName(), // requireAt: before the write
                        CasMiss.class.getName(), // why a compare-and-swap found no row
                        CommitRepository.class.getName(), // the version row's key, taken by a racing writer
                        StagedRatifications.class.getName()); // the pipeline's: a staged version another file took
        // besides the pipeline itself: a transaction's parts, checked before their actions are read
        assertThat(callers(CommitPipeline.class.getName(), "requireAt"))
                .containsExactly(TransactionParts.class.getName());
    }

    /** The top-level classes that call a method of {@code owner} (named {@code method}, or any). */
    private static Set<String> callers(String owner, String method) {
        Set<String> callers = new TreeSet<>();
        for (var javaClass : classes) {
            for (JavaMethodCall call : javaClass.getMethodCallsFromSelf()) {
                if (call.getTargetOwner().getName().equals(owner)
                        && (method == null || call.getName().equals(method))) {
                    String caller = javaClass.getName();
                    int nested = caller.indexOf('$');
                    callers.add(nested < 0 ? caller : caller.substring(0, nested));
                }
            }
        }
        callers.remove(owner);
        return callers;
    }
}
