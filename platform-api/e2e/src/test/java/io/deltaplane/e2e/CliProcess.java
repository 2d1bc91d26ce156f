package io.deltaplane.e2e;

import io.deltaplane.cli.DeltaplaneCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code deltaplane} command line as a user runs it: the checkout's {@code ./deltaplane}
 * launcher (which runs {@code deltaplane-cli.jar} with its class-data-sharing archive), a process per
 * command, with the gateway's URL and a key in the environment and no other {@code DELTAPLANE_*}
 * setting.
 */
final class CliProcess {

    static final Path JAR = Path.of("..", "cli", "target", "deltaplane-cli.jar")
            .toAbsolutePath()
            .normalize();
    /** {@code ./deltaplane} at the repository's root. */
    static final Path LAUNCHER =
            Path.of("..", "..", "deltaplane").toAbsolutePath().normalize();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CliProcess() {}

    /** A command's exit code and what it printed. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            return JSON.readTree(out);
        }
    }

    /**
     * The same command run in this JVM through {@code DeltaplaneCli.run} — what {@code main} does
     * after reading the environment — with only the gateway's URL and the key as its settings: the
     * CLI's parsing, calls, output and exit codes without a JVM start per step.
     */
    static Run inProcess(String url, String key, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit;
        try (PrintWriter o = new PrintWriter(out, true);
                PrintWriter e = new PrintWriter(err, true)) {
            exit = DeltaplaneCli.run(Map.of("DELTAPLANE_API_URL", url, "DELTAPLANE_API_KEY", key), o, e, args);
        }
        return new Run(exit, out.toString(), err.toString());
    }

    static Run run(String url, String key, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("DELTAPLANE_"));
        builder.environment().put("DELTAPLANE_API_URL", url);
        builder.environment().put("DELTAPLANE_API_KEY", key);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deltaplane " + String.join(" ", args) + " did not finish in 60 s");
        }
        try {
            return new Run(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
