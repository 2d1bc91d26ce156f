package io.deltaplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * An app's Spring Boot jar as the tests run it: from the layout Spring Boot's own tools extract
 * ({@code java -Djarmode=tools -jar app.jar extract}: the app's jar and its libraries in {@code
 * lib/}, a plain class path instead of a jar of jars), with a class-data-sharing archive of the
 * classes it loads. The suites start the apps dozens of times per build; measured on the 2-core
 * build machine, metadata-service started in 10.0 CPU-seconds as a jar of jars, 7.4 extracted, and
 * 4.1 extracted with the archive.
 *
 * <p>The extraction sits beside the jar ({@code target/<jar>-extracted/}), made once per build of
 * the jar under a file lock (the build runs several test JVMs at once). The archive is recorded by
 * an app's JVM at its exit ({@code -XX:ArchiveClassesAtExit}) into a file of its own, and kept
 * ({@link Started#ended}) only when the JVM ended by itself or by SIGTERM, so a killed JVM's partial
 * file is never used; every later start maps it ({@code -XX:SharedArchiveFile}). A JVM that finds
 * the archive unusable runs without it.
 */
public final class AppJar {

    /** The JVM's logging of the archive is kept out of the apps' logs (a warning would read as the app's). */
    private static final List<String> QUIET = List.of("-Xlog:cds*=off");

    private final Path extracted;
    private final Path archive;

    private AppJar(Path extracted, Path archive) {
        this.extracted = extracted;
        this.archive = archive;
    }

    /** The jar, extracted (once per build of it). */
    public static AppJar of(Path jar) {
        try {
            return extract(jar.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + jar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting " + jar, e);
        }
    }

    /**
     * The arguments after the JVM options that run the app once: {@code -jar} of the extracted jar,
     * mapping the archive, or recording one when there is none yet.
     */
    public Started start() {
        if (Files.isRegularFile(archive)) {
            return new Started(
                    concat(QUIET, List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString())), null);
        }
        Path recording = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".recording");
        return new Started(
                concat(QUIET, List.of("-XX:ArchiveClassesAtExit=" + recording, "-jar", extracted.toString())),
                recording);
    }

    /** One start's arguments, and the archive it records (null: it maps the one there is). */
    public final class Started {

        private final List<String> arguments;
        private final Path recording;

        private Started(List<String> arguments, Path recording) {
            this.arguments = List.copyOf(arguments);
            this.recording = recording;
        }

        public List<String> arguments() {
            return arguments;
        }

        /**
         * After the JVM ended with {@code exitCode}: keeps the archive it recorded when it exited by
         * itself (0) or on SIGTERM (143), when it writes the archive whole; drops it otherwise.
         */
        public void ended(int exitCode) {
            if (recording == null) {
                return;
            }
            try {
                if ((exitCode == 0 || exitCode == 143) && Files.isRegularFile(recording) && Files.size(recording) > 0) {
                    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.deleteIfExists(recording);
                }
            } catch (IOException e) {
                // without the archive the next start only takes longer
            }
        }
    }

    /** One thread of this JVM at a time: a file lock is held per JVM, and a second one in it would throw. */
    private static synchronized AppJar extract(Path jar) throws IOException, InterruptedException {
        Path target = jar.getParent();
        String name = jar.getFileName().toString();
        Path dir = target.resolve(name.replaceFirst("\\.jar$", "") + "-extracted");
        Path extractedJar = dir.resolve(name);
        Path archive = target.resolve(name.replaceFirst("\\.jar$", "") + ".jsa");
        String stamp = Files.getLastModifiedTime(jar).toMillis() + " " + Files.size(jar);
        Path stampFile = dir.resolve("extracted-from");
        try (FileChannel lockFile = FileChannel.open(
                        target.resolve(name + ".extract.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return new AppJar(extractedJar, archive);
            }
            // a new build of the jar: the old extraction and the archive of its classes go
            Files.deleteIfExists(archive);
            deleteTree(dir);
            Path partial = target.resolve(dir.getFileName() + ".partial");
            deleteTree(partial);
            Process tools = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-Djarmode=tools",
                            "-jar",
                            jar.toString(),
                            "extract",
                            "--destination",
                            partial.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!tools.waitFor(5, TimeUnit.MINUTES) || tools.exitValue() != 0) {
                tools.destroyForcibly();
                throw new IOException("java -Djarmode=tools -jar " + jar + " extract failed");
            }
            Files.writeString(partial.resolve("extracted-from"), stamp);
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            return new AppJar(extractedJar, archive);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
