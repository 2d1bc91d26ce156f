package io.deltaplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop check on classes compiled here: it finds a loop where there is one, and only then. */
class PackageLoopsTest {

    @TempDir
    Path dir;

    @Test
    void aPackageThatReachesItselfIsALoopWithTheImportsThatCloseIt() throws IOException {
        Path classes = compile(Map.of(
                "io.deltaplane.x.api.Controller", "io.deltaplane.x.core.Service",
                "io.deltaplane.x.core.Service", "io.deltaplane.x.store.Repository",
                "io.deltaplane.x.store.Repository", "io.deltaplane.x.core.Service"));

        assertThat(PackageLoops.in(classes))
                .containsExactly("io.deltaplane.x.core, io.deltaplane.x.store:"
                        + "\n    io.deltaplane.x.core -> io.deltaplane.x.store"
                        + "\n    io.deltaplane.x.store -> io.deltaplane.x.core");
    }

    @Test
    void layersThatOnlyImportDownwardsHaveNoLoop() throws IOException {
        Path classes = compile(Map.of(
                "io.deltaplane.x.api.Controller", "io.deltaplane.x.core.Service",
                "io.deltaplane.x.core.Service", "io.deltaplane.x.store.Repository",
                "io.deltaplane.x.store.Repository", "java.lang.Object"));

        assertThat(PackageLoops.packageImports(classes)).containsKeys("io.deltaplane.x.api", "io.deltaplane.x.core");
        assertThat(PackageLoops.in(classes)).isEmpty();
    }

    /** Compiles one class per entry, each holding a field of the type it names. */
    private Path compile(Map<String, String> classUses) throws IOException {
        List<String> files = new ArrayList<>();
        for (var entry : classUses.entrySet()) {
            String name = entry.getKey();
            int dot = name.lastIndexOf('.');
            Path source = dir.resolve("src").resolve(name.replace('.', '/') + ".java");
            Files.createDirectories(source.getParent());
            Files.writeString(
                    source,
                    "package " + name.substring(0, dot) + ";\npublic class " + name.substring(dot + 1) + " { "
                            + entry.getValue() + " used; }\n");
            files.add(source.toString());
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
        args.addAll(files);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
                .as("javac")
                .isZero();
        return classes;
    }
}
