package io.deltaplane.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the source tree; the tests run from the {@code helm/} module directory. */
final class Repository {

    static final Path ROOT = findRoot();
    static final Path CHART = ROOT.resolve("helm/deltaplane");

    private Repository() {}

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("helm/deltaplane/Chart.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "Run from inside the Deltaplane repository (no helm/deltaplane/Chart.yaml above "
                            + Path.of("").toAbsolutePath() + ")");
        }
        return dir;
    }
}
