package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} backend promises, run against each one's real server (the local file
 * system, S3Proxy, Azurite). A backend's test extends this and says where a fresh, empty location
 * is.
 */
abstract class StorageContract {

    protected abstract Storage storage();

    /** A location no other test uses, with nothing under it yet. */
    protected abstract String freshLocation();

    /** Large enough to take several parts or blocks on the backend under test. */
    protected int largeObjectSize() {
        return 12 * 1024 * 1024;
    }

    @Test
    void putIfAbsentCreatesOnceAndNeverOverwrites() throws Exception {
        Storage storage = storage();
        String path = storage.resolve(freshLocation(), "_delta_log/00000000000000000000.json");

        assertThat(storage.exists(path)).isFalse();
        assertThat(storage.putIfAbsent(path, bytes("first\n"))).isTrue();
        assertThat(storage.putIfAbsent(path, bytes("second\n"))).isFalse();

        assertThat(storage.read(path))
                .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("first\n"));
        assertThat(storage.exists(path)).isTrue();
        assertThat(storage.size(path)).hasValue(6);
    }

    @Test
    void aTaggedPutIsToldApartFromALaterWriteOfTheSameBytes() throws Exception {
        Storage storage = storage();
        String path = storage.resolve(freshLocation(), "artifacts/report.bin");
        assertThat(storage.tag(path)).isEmpty();

        String first = storage.putTagged(path, out -> out.write(bytes("same"))).orElseThrow();
        assertThat(storage.tag(path)).hasValue(first);
        String second = storage.putTagged(path, out -> out.write(bytes("same"))).orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(storage.tag(path)).hasValue(second);

        storage.put(path, out -> out.write(bytes("other")));
        assertThat(storage.tag(path).orElseThrow()).isNotEqualTo(second);
        assertThat(storage.delete(path)).isTrue();
        assertThat(storage.tag(path)).isEmpty();
    }

    @Test
    void aLocalFileIsPutOnceAndStaysWhenTheCallerDeletesItsCopy() throws Exception {
        Storage storage = storage();
        String path = storage.resolve(freshLocation(), "part-00000.parquet");
        java.nio.file.Path staged = java.nio.file.Files.createTempFile("staged", ".parquet");
        java.nio.file.Path other = java.nio.file.Files.createTempFile("other", ".parquet");
        try {
            java.nio.file.Files.writeString(staged, "the batch's rows");
            java.nio.file.Files.writeString(other, "someone else's rows");

            assertThat(storage.putFileIfAbsent(path, staged)).isTrue();
            assertThat(storage.putFileIfAbsent(path, other)).isFalse();
            java.nio.file.Files.delete(staged); // what the ingest worker does once the file is put

            assertThat(storage.read(path))
                    .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("the batch's rows"));
        } finally {
            java.nio.file.Files.deleteIfExists(staged);
            java.nio.file.Files.deleteIfExists(other);
        }
    }

    @Test
    void aLocationsOwnFileIsReadAsAnyFile() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        storage.putIfAbsent(storage.resolve(location, "_delta_log/_staged_commits/a.json"), "{}\n".getBytes());
        org.assertj.core.api.Assertions.assertThat(storage.readOwnFile(location, "_delta_log/_staged_commits/a.json"))
                .hasValueSatisfying(bytes -> org.assertj.core.api.Assertions.assertThat(new String(bytes))
                        .isEqualTo("{}\n"));
        org.assertj.core.api.Assertions.assertThat(storage.readOwnFile(location, "_delta_log/_staged_commits/b.json"))
                .isEmpty();
    }

    @Test
    void aMissingObjectIsEmptyEverywhereAndNeverAnError() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String path = storage.resolve(location, "nothing/here.json");

        assertThat(storage.exists(path)).isFalse();
        assertThat(storage.read(path)).isEmpty();
        assertThat(storage.open(path)).isEmpty();
        assertThat(storage.size(path)).isEmpty();
        assertThat(storage.delete(path)).isFalse();
        assertThat(storage.list(storage.resolve(location, "nothing"))).isEmpty();
    }

    @Test
    void aRangedReadStartsAtItsOffsetAndEndsWithTheObject() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String path = storage.resolve(location, "_delta_log/00000000000000000010.checkpoint.parquet");
        byte[] content = new byte[3 * 1024 * 1024 + 17]; // more than one chunk of a chunked reader
        new Random(7).nextBytes(content);
        storage.putIfAbsent(path, content);

        for (long offset : new long[] {0, 1, 4096, content.length - 8, content.length - 1}) {
            try (InputStream in = storage.open(path, offset).orElseThrow()) {
                assertThat(in.readAllBytes())
                        .as("from %d", offset)
                        .isEqualTo(java.util.Arrays.copyOfRange(content, (int) offset, content.length));
            }
        }
        // At or past the end: the object is there, with nothing left to read.
        for (long offset : new long[] {content.length, content.length + 100L}) {
            try (InputStream in = storage.open(path, offset).orElseThrow()) {
                assertThat(in.read()).as("from %d", offset).isEqualTo(-1);
            }
        }
        // A reader that stops early (a Parquet footer read) closes the stream without draining it.
        try (InputStream in = storage.open(path, 100).orElseThrow()) {
            assertThat(in.readNBytes(8)).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 108));
        }
        assertThat(storage.open(storage.resolve(location, "_delta_log/missing.parquet"), 10))
                .isEmpty();
        assertThatThrownBy(() -> storage.open(path, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filesAndStatGiveSizesAndModificationTimesInOneListing() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String log = storage.resolve(location, "_delta_log");
        long before = System.currentTimeMillis();
        storage.putIfAbsent(storage.resolve(log, "00000000000000000001.json"), bytes("{\"add\":{}}\n"));
        storage.putIfAbsent(storage.resolve(log, "00000000000000000000.json"), bytes("{}\n"));
        storage.putIfAbsent(storage.resolve(log, "_sidecars/a.parquet"), bytes("x")); // nested
        long after = System.currentTimeMillis();

        List<StoredFile> files = storage.files(log);
        assertThat(files)
                .extracting(StoredFile::name, StoredFile::size)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("00000000000000000000.json", 3L),
                        org.assertj.core.groups.Tuple.tuple("00000000000000000001.json", 11L));
        // Object stores keep whole seconds; the clocks are the same machine's.
        assertThat(files).allSatisfy(f -> assertThat(f.modifiedMillis()).isBetween(before - 1000, after + 1000));

        StoredFile one =
                storage.stat(storage.resolve(log, "00000000000000000001.json")).orElseThrow();
        assertThat(one).isEqualTo(files.get(1));
        assertThat(storage.stat(storage.resolve(log, "00000000000000000002.json")))
                .isEmpty();
        assertThat(storage.stat(storage.resolve(log, "_sidecars"))).isEmpty(); // not an object
        assertThat(storage.files(storage.resolve(location, "nothing"))).isEmpty();
    }

    @Test
    void listNamesOnlyTheFilesDirectlyInADirectorySorted() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String log = storage.resolve(location, "_delta_log");
        storage.putIfAbsent(storage.resolve(log, "00000000000000000001.json"), bytes("{}"));
        storage.putIfAbsent(storage.resolve(log, "00000000000000000000.json"), bytes("{}"));
        storage.putIfAbsent(storage.resolve(log, "_sidecars/a.parquet"), bytes("x")); // nested
        storage.putIfAbsent(storage.resolve(location, "_delta_log2/other.json"), bytes("x")); // same prefix
        storage.putIfAbsent(storage.resolve(location, "part-0.parquet"), bytes("x")); // parent

        assertThat(storage.list(log)).containsExactly("00000000000000000000.json", "00000000000000000001.json");
        assertThat(storage.list(location + "/_delta_log/"))
                .containsExactly("00000000000000000000.json", "00000000000000000001.json");
        assertThat(storage.list(location)).containsExactly("part-0.parquet");
    }

    @Test
    void filesUnderListsEveryFileAtAnyDepthByItsRelativePath() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        storage.putIfAbsent(storage.resolve(location, "_delta_log/00000000000000000000.json"), bytes("{}"));
        storage.putIfAbsent(storage.resolve(location, "day=2026-11-01/part-0.parquet"), bytes("xx"));
        storage.putIfAbsent(storage.resolve(location, "day=2026-11-01/h=1/part-1.parquet"), bytes("xxx"));
        storage.putIfAbsent(storage.resolve(location, "part-2.parquet"), bytes("x"));
        storage.putIfAbsent(location + "2/other.parquet", bytes("x")); // a sibling with the same prefix

        List<StoredFile> files = storage.filesUnder(location);
        assertThat(files)
                .extracting(StoredFile::name)
                .containsExactly(
                        "_delta_log/00000000000000000000.json",
                        "day=2026-11-01/h=1/part-1.parquet",
                        "day=2026-11-01/part-0.parquet",
                        "part-2.parquet");
        assertThat(files.get(1).size()).isEqualTo(3);
        assertThat(files.get(1).modifiedMillis()).isPositive();
        assertThat(storage.filesUnder(location + "/")).isEqualTo(files);
        assertThat(storage.filesUnder(storage.resolve(location, "nothing"))).isEmpty();
    }

    @Test
    void filesFromListsOnlyTheNamesAtOrAfterAName() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String log = storage.resolve(location, "_delta_log");
        for (String name : List.of(
                "00000000000000000000.json",
                "00000000000000000001.json",
                "00000000000000000002.json",
                "00000000000000000002.jsoa", // between "…2.jso" and "…2.json": what S3's StartAfter trick filters
                "00000000000000000010.checkpoint.parquet",
                "_last_checkpoint")) {
            storage.putIfAbsent(storage.resolve(log, name), bytes("{}"));
        }
        storage.putIfAbsent(storage.resolve(log, "_sidecars/a.parquet"), bytes("x")); // nested
        storage.putIfAbsent(storage.resolve(location, "_delta_log2/00000000000000000003.json"), bytes("x"));

        assertThat(storage.filesFrom(log, "00000000000000000002.json"))
                .extracting(StoredFile::name)
                .containsExactly(
                        "00000000000000000002.json", "00000000000000000010.checkpoint.parquet", "_last_checkpoint");
        assertThat(storage.filesFrom(log, "00000000000000000001.k"))
                .extracting(StoredFile::name)
                .startsWith("00000000000000000002.jsoa", "00000000000000000002.json");
        assertThat(storage.filesFrom(log, "00000000000000000003.json"))
                .extracting(StoredFile::name)
                .containsExactly("00000000000000000010.checkpoint.parquet", "_last_checkpoint");
        assertThat(storage.filesFrom(log, "")).hasSize(6);
        assertThat(storage.filesFrom(log, "~")).isEmpty();
        assertThat(storage.filesFrom(storage.resolve(location, "nothing"), "0")).isEmpty();
        assertThat(storage.filesFrom(log, "00000000000000000001.json").get(0))
                .isEqualTo(storage.stat(storage.resolve(log, "00000000000000000001.json"))
                        .orElseThrow());
    }

    @Test
    void deleteRemovesOneObjectAndPutReplacesOne() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String path = storage.resolve(location, "_delta_log/_last_checkpoint");
        String sibling = storage.resolve(location, "_delta_log/00000000000000000000.json");
        storage.putIfAbsent(sibling, bytes("{}"));

        storage.put(path, out -> out.write(bytes("{\"version\":1}")));
        storage.put(path, out -> out.write(bytes("{\"version\":2}")));
        assertThat(storage.read(path))
                .hasValueSatisfying(b -> assertThat(text(b)).isEqualTo("{\"version\":2}"));

        assertThat(storage.delete(path)).isTrue();
        assertThat(storage.exists(path)).isFalse();
        assertThat(storage.delete(path)).isFalse();
        assertThat(storage.exists(sibling)).isTrue();
    }

    @Test
    void aLargeObjectStreamsInAndOutAndIsInvisibleUntilComplete() throws Exception {
        Storage storage = storage();
        String path = storage.resolve(freshLocation(), "_delta_log/00000000000000000010.checkpoint.parquet");
        int size = largeObjectSize();
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        boolean created = storage.putIfAbsent(path, out -> {
            Random random = new Random(42);
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < size; sent += chunk.length) {
                random.nextBytes(chunk);
                int n = Math.min(chunk.length, size - sent);
                out.write(chunk, 0, n);
                written.update(chunk, 0, n);
                if (sent == size / 2) {
                    // Half written (several parts on an object store): nothing is visible yet.
                    assertThat(storage.exists(path)).isFalse();
                }
            }
        });
        assertThat(created).isTrue();
        assertThat(storage.size(path)).hasValue(size);

        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = storage.open(path).orElseThrow()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                read.update(buf, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(read.digest()))
                .isEqualTo(HexFormat.of().formatHex(written.digest()));

        // A second large write of the same name loses and leaves the first one whole.
        assertThat(storage.putIfAbsent(path, out -> out.write(new byte[size]))).isFalse();
        assertThat(storage.size(path)).hasValue(size);
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNothingBehind() throws Exception {
        Storage storage = storage();
        String location = freshLocation();
        String path = storage.resolve(location, "_delta_log/00000000000000000003.json");
        int size = largeObjectSize();

        assertThatThrownBy(() -> storage.putIfAbsent(path, out -> {
                    out.write(new byte[size / 2]);
                    throw new IOException("the producer failed");
                }))
                .isInstanceOf(IOException.class)
                .hasMessage("the producer failed");

        assertThat(storage.exists(path)).isFalse();
        assertThat(storage.list(storage.resolve(location, "_delta_log"))).isEmpty();
        assertThat(storage.putIfAbsent(path, bytes("ok"))).isTrue();
    }

    @Test
    void racingWritersOfOneNameProduceExactlyOneWinnerAndAWholeObject() throws Exception {
        Storage storage = storage();
        String path = storage.resolve(freshLocation(), "_delta_log/00000000000000000042.json");
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                byte[] content = bytes(("writer-" + i + "\n").repeat(2000));
                results.add(pool.submit((Callable<Boolean>) () -> {
                    start.await();
                    return storage.putIfAbsent(path, content);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> r : results) {
                winners += r.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        String content = text(storage.read(path).orElseThrow());
        String firstLine = content.substring(0, content.indexOf('\n') + 1);
        assertThat(content).isEqualTo(firstLine.repeat(2000)); // one writer's bytes, complete
    }

    @Test
    void resolveJoinsALocationAndARelativeName() {
        Storage storage = storage();
        String location = freshLocation();
        assertThat(storage.supports(location)).isTrue();
        assertThat(storage.resolve(location, "_delta_log/0.json")).endsWith("/_delta_log/0.json");
        assertThat(storage.resolve(location + "/", "_delta_log/0.json"))
                .isEqualTo(storage.resolve(location, "_delta_log/0.json"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
