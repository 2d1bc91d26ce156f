package io.deltaplane.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * What the {@code deltaplane} CLI appends — partition values with {@code % / = +}, spaces, unicode,
 * the empty string and null; doubles NaN, ±infinity, -0.0 and the largest — read back by delta-spark
 * from the log the platform published, row for row as given. (The CLI runs as a user runs it, the
 * checkout's {@code ./deltaplane} launcher; Kernel's read of the same values is {@code
 * CliEndToEndTest}'s.)
 */
class CliValuesInSparkTest extends EngineTestBase {

    private static final Path LAUNCHER =
            Path.of("..", "deltaplane").toAbsolutePath().normalize();

    @Test
    void everyValueTheCliAppendsReadsBackInSpark() throws Exception {
        String name = CATALOG + "." + SCHEMA + ".cli_values";
        Path table = platform.warehouse().resolve("by-spark").resolve("cli_values");
        spark.sql("CREATE TABLE %s (id BIGINT, x DOUBLE, part STRING) USING delta PARTITIONED BY (part)", table);
        platform.importTable(name, table);

        List<String> parts = Arrays.asList("a%b", "x/y", "p=q", "s t", "é", "a+b", "ä/%=+ ü", "", null);
        List<Object> xs = List.of(1.5, "nan", "-inf", "inf", -0.0, Double.MAX_VALUE, 1.5, 2.5, 3.5);
        StringBuilder rows = new StringBuilder();
        Map<Long, String> expected = new TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            rows.append("{\"id\":")
                    .append(i)
                    .append(",\"x\":")
                    .append(Deltaplane.JSON.writeValueAsString(xs.get(i)))
                    .append(",\"part\":")
                    .append(Deltaplane.JSON.writeValueAsString(parts.get(i)))
                    .append("}\n");
            double x = xs.get(i) instanceof String s
                    ? switch (s) {
                        case "nan" -> Double.NaN;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.POSITIVE_INFINITY;
                    }
                    : (Double) xs.get(i);
            // the empty string too: delta-spark, as Kernel, reads a string partition value "" as given
            expected.put((long) i, x + "|" + parts.get(i));
        }
        Path file = Files.writeString(work.resolve("cli-values.jsonl"), rows.toString());
        cli("tables", "append", name, "-f", file.toString());
        Deltaplane.awaitPublished(table, 1, -1);

        Map<Long, String> read = new TreeMap<>();
        for (Row row : spark.sql("SELECT id, x, part FROM %s", table)) {
            read.put(row.getLong(0), row.getDouble(1) + "|" + (row.isNullAt(2) ? null : row.getString(2)));
        }
        assertThat(read).isEqualTo(expected);
    }

    private void cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "cli-out", ".txt");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("DELTAPLANE_"));
        builder.environment().putAll(platform.cliEnvironment());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("the CLI finished")
                .isTrue();
        assertThat(process.exitValue()).as(Files.readString(out)).isZero();
    }
}
