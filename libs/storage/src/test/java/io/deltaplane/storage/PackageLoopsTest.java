package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.PackageLoops;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** This module's packages import downwards only: no package reaches itself (see {@link PackageLoops}). */
class PackageLoopsTest {

    @Test
    void packagesFormNoLoops() {
        assertThat(PackageLoops.in(Path.of("target/classes"))).isEmpty();
    }
}
