package io.deltaplane.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A copy of the checkout as a fresh clone would have it (the files git tracks or would track, not
 * what is ignored, so no {@code .platform/} state), plus the app jars this build just packaged (and
 * the CLI's libraries), with
 * their times kept so {@code ./platform up} sees them as current and does not rebuild.
 */
final class FreshCopy {

    private static final List<String> APP_DIRS =
            List.of("gateway", "metadata-service", "lineage-service", "ingest-worker", "platform-api/cli");

    private FreshCopy() {}

    static Path of(Path checkout, Path into) throws IOException, InterruptedException {
        if (Files.exists(into)) {
            deleteTree(into);
        }
        Files.createDirectories(into);
        for (String file : gitFiles(checkout)) {
            Path source = checkout.resolve(file);
            if (Files.isRegularFile(source)) {
                Path target = into.resolve(file);
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        for (String app : APP_DIRS) {
            copyJars(checkout.resolve(app).resolve("target"), into.resolve(app).resolve("target"));
            // the CLI's libraries, which its jar's manifest names
            Path lib = checkout.resolve(app).resolve("target").resolve("lib");
            if (Files.isDirectory(lib)) {
                copyJars(lib, into.resolve(app).resolve("target").resolve("lib"));
            }
        }
        return into;
    }

    private static void copyJars(Path from, Path to) throws IOException {
        try (var jars = Files.list(from)) {
            for (Path jar : jars.filter(FreshCopy::isAppJar).toList()) {
                Path copy = to.resolve(jar.getFileName());
                Files.createDirectories(copy.getParent());
                Files.copy(jar, copy, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static boolean isAppJar(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jar") && !name.endsWith("-plain.jar") && !name.endsWith("-sources.jar");
    }

    private static List<String> gitFiles(Path checkout) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(checkout.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out = git.getInputStream().readAllBytes();
        if (!git.waitFor(60, TimeUnit.SECONDS) || git.exitValue() != 0) {
            throw new IOException("git ls-files failed in " + checkout);
        }
        List<String> files = new ArrayList<>();
        for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        return files;
    }

    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
