package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.PackageLoops;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packages of each module the metadata service is assembled from import downwards only: no
 * package reaches itself (see {@link PackageLoops}). Between modules Maven forbids loops, and each
 * package lives in one module.
 */
class PackageLoopsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "target/classes",
                "../metadata/core/target/classes",
                "../metadata/maintenance/target/classes",
                "../metadata/health/target/classes",
                "../metadata/iceberg-conversion/target/classes",
                "../metadata/door-api/target/classes",
                "../metadata/door-unity/target/classes",
                "../metadata/door-iceberg/target/classes"
            })
    void packagesFormNoLoops(String classes) {
        Path dir = Path.of(classes);
        assertThat(dir)
                .as("%s is compiled (build the metadata modules first: -am)", dir)
                .isDirectory();
        assertThat(PackageLoops.in(dir)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void everyMetadataModuleIsChecked() throws Exception {
        // a module added under metadata/ joins the list above, or this fails
        ValueSource listed = PackageLoopsTest.class
                .getDeclaredMethod("packagesFormNoLoops", String.class)
                .getAnnotation(ValueSource.class);
        try (var dirs = Files.list(Path.of("../metadata"))) {
            assertThat(listed.strings())
                    .containsAll(dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
                            .map(d -> "../metadata/" + d.getFileName() + "/target/classes")
                            .toList());
        }
    }

    @org.junit.jupiter.api.Test
    void theCoreHoldsTheCommitPipeline() throws java.io.IOException {
        // the directories above are the modules' own: the core's holds the commit package, so a
        // check of an empty or wrong directory cannot pass unnoticed
        try (var files = Files.walk(Path.of("../metadata/core/target/classes/io/deltaplane/metadata/commit"))) {
            assertThat(files.map(p -> p.getFileName().toString())).contains("CommitPipeline.class");
        }
    }
}
