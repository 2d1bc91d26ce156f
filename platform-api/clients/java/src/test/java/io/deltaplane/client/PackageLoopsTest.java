package io.deltaplane.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.PackageLoops;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The client's packages import downwards only: the API ({@code io.deltaplane.client}: the client,
 * its calls, jobs and exceptions) over its values ({@code model}) over the plumbing ({@code
 * internal}) and the code generated from the OpenAPI documents (see {@link PackageLoops}).
 */
class PackageLoopsTest {

    @Test
    void packagesFormNoLoops() {
        assertThat(PackageLoops.in(Path.of("target/classes"))).isEmpty();
    }
}
