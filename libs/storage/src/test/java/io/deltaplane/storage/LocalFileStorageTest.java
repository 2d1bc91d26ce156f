package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileStorageTest {

    private final LocalFileStorage storage = new LocalFileStorage();

    @TempDir
    Path dir;

    @Test
    void putIfAbsentCreatesOnceAndNeverOverwrites() throws Exception {
        String location = dir.toUri().toString(); // file:/…/
        String path = storage.resolve(location, "_delta_log/00000000000000000000.json");

        assertThat(storage.exists(path)).isFalse();
        assertThat(storage.putIfAbsent(path, bytes("first\n"))).isTrue();
        assertThat(storage.putIfAbsent(path, bytes("second\n"))).isFalse();

        assertThat(storage.read(path))
                .hasValueSatisfying(
                        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("first\n"));
        assertThat(storage.list(storage.resolve(location, "_delta_log")))
                .containsExactly("00000000000000000000.json"); // no temp file left behind
    }

    @Test
    void openStreamsAnObjectAndSizeAndDeleteTouchOnlyObjects() throws Exception {
        String location = dir.toUri().toString();
        String path = storage.resolve(location, "part-0.parquet");
        assertThat(storage.open(path)).isEmpty();
        assertThat(storage.size(path)).isEmpty();
        assertThat(storage.delete(path)).isFalse();

        storage.putIfAbsent(path, bytes("12345"));
        assertThat(storage.size(path)).hasValue(5);
        try (java.io.InputStream in = storage.open(path).orElseThrow()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("12345");
        }
        assertThat(storage.delete(path)).isTrue();
        assertThat(storage.exists(path)).isFalse();

        // A folder is not an object: neither opened, sized nor deleted with what it holds.
        String folder = storage.resolve(location, "_delta_log");
        storage.putIfAbsent(storage.resolve(folder, "00000000000000000000.json"), bytes("{}"));
        assertThat(storage.open(folder)).isEmpty();
        assertThat(storage.size(folder)).isEmpty();
        assertThat(storage.delete(folder)).isFalse();
        assertThat(storage.list(folder)).containsExactly("00000000000000000000.json");
    }

    @Test
    void plainPathsAndFileUrisNameTheSameFiles() throws Exception {
        String plain = dir.resolve("t").toString();
        String uri = "file:" + dir.resolve("t");
        storage.putIfAbsent(storage.resolve(plain, "a.json"), bytes("x"));
        assertThat(storage.exists(storage.resolve(uri, "a.json"))).isTrue();
        assertThat(storage.read(storage.resolve(uri, "missing.json"))).isEmpty();
        assertThat(storage.list(storage.resolve(uri, "nothing-here"))).isEmpty();
        assertThat(storage.supports(uri)).isTrue();
        assertThat(storage.supports(plain)).isTrue();
        assertThat(storage.supports("abfss://c@acct.dfs.core.windows.net/t")).isFalse();
        assertThat(StoragePaths.toFileUri(plain)).isEqualTo("file:" + dir.resolve("t"));
    }

    @Test
    void racingWritersOfOneNameProduceExactlyOneWinnerAndAWholeFile() throws Exception {
        String path = storage.resolve(dir.toString(), "_delta_log/00000000000000000042.json");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] content = bytes(("writer-" + i + "\n").repeat(2000));
                results.add(pool.submit((Callable<Boolean>) () -> storage.putIfAbsent(path, content)));
            }
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        String content = Files.readString(Path.of(path));
        String firstLine = content.substring(0, content.indexOf('\n') + 1);
        assertThat(content).isEqualTo(firstLine.repeat(2000)); // one writer's bytes, complete
        try (var files = Files.list(Path.of(path).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("00000000000000000042.json");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
