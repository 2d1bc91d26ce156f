package io.deltaplane.metadata.deltalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.fileio.SeekableInputStream;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.storage.AzureBlobStorage;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.S3Storage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.testing.AzuriteServer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta Kernel's default engine on {@link StorageFileIO}: a table created, appended to and
 * checkpointed by Kernel on S3 (S3Proxy), Azure (Azurite) and the local disk, then read back from
 * its checkpoint, with every byte going through the platform's {@link Storage}.
 */
class StorageFileIOTest {

    @RegisterExtension
    final S3ProxyExtension s3Proxy = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
            .build();

    @TempDir
    Path dir;

    private S3Storage s3;
    private String bucket;

    @BeforeEach
    void bucket() {
        s3 = S3Storage.fromEnvironment(Map.of(
                "AWS_ENDPOINT_URL_S3", s3Proxy.getUri().toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", s3Proxy.getAccessKey(),
                "AWS_SECRET_ACCESS_KEY", s3Proxy.getSecretKey()));
        bucket = "lake-" + UUID.randomUUID().toString().substring(0, 8);
        s3.client().createBucket(b -> b.bucket(bucket));
    }

    @Test
    void kernelWritesACheckpointedTableToS3AndReadsItBackFromTheCheckpoint() throws Exception {
        writeCheckpointAndReadBack(s3, "s3://" + bucket + "/tables/events");
    }

    @Test
    void theSameOnAzure() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start()) {
            AzureBlobStorage azure = AzureBlobStorage.fromEnvironment(
                    Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()));
            azure.serviceClient(AzuriteServer.ACCOUNT).createBlobContainer("lake");
            writeCheckpointAndReadBack(
                    azure, "abfss://lake@" + AzuriteServer.ACCOUNT + ".dfs.core.windows.net/tables/events");
        }
    }

    @Test
    void theSameOnTheLocalDisk() throws Exception {
        writeCheckpointAndReadBack(
                new LocalFileStorage(),
                StoragePaths.toFileUri(dir.resolve("events").toString()));
    }

    private static void writeCheckpointAndReadBack(Storage storage, String location) throws Exception {
        Engine engine = DeltaKernelEngines.over(storage);
        StructType schema = new StructType().add("id", LongType.LONG).add("day", StringType.STRING);
        TableManager.buildCreateTableTransaction(location, schema, "deltaplane-tests")
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        Set<String> written = new HashSet<>();
        for (int v = 1; v <= 4; v++) {
            written.addAll(append(engine, location, "a-" + v + ".parquet", "b-" + v + ".parquet"));
        }
        TableManager.loadSnapshot(location).build(engine).writeCheckpoint(engine);
        written.addAll(append(engine, location, "after-checkpoint.parquet"));

        String log = storage.resolve(location, "_delta_log");
        assertThat(storage.list(log))
                .contains("00000000000000000004.checkpoint.parquet", "_last_checkpoint", "00000000000000000005.json");

        // A fresh engine finds the checkpoint through _last_checkpoint and reads its Parquet with
        // ranged reads, then replays the one commit after it.
        Engine reader = DeltaKernelEngines.over(storage);
        Snapshot snapshot = TableManager.loadSnapshot(location).build(reader);
        assertThat(snapshot.getVersion()).isEqualTo(5);
        assertThat(((SnapshotImpl) snapshot).getLogSegment().getCheckpoints())
                .extracting(FileStatus::getPath)
                .containsExactly(location + "/_delta_log/00000000000000000004.checkpoint.parquet");
        assertThat(livePaths(reader, snapshot)).isEqualTo(written);
        assertThat(JSON_MAPPER.readTree(snapshot.getSchema().toJson()))
                .isEqualTo(JSON_MAPPER.readTree(schema.toJson()));
    }

    @Test
    void aCommitThatLosesTheRaceForItsVersionIsRetriedInsteadOfOverwriting() throws Exception {
        String location = "s3://" + bucket + "/tables/raced";
        Engine engine = DeltaKernelEngines.over(s3);
        StructType schema = new StructType().add("id", LongType.LONG).add("day", StringType.STRING);
        TableManager.buildCreateTableTransaction(location, schema, "deltaplane-tests")
                .build(engine)
                .commit(engine, CloseableIterable.emptyIterable());
        // Two writers start from version 0; the second one's version 1 is already taken.
        Transaction first = updateTransaction(engine, location);
        Transaction second = updateTransaction(engine, location);
        first.commit(engine, CloseableIterable.emptyIterable());
        String v1 = new String(
                s3.read(s3.resolve(location, "_delta_log/00000000000000000001.json"))
                        .orElseThrow(),
                StandardCharsets.UTF_8);

        // Kernel sees version 1 taken (put-if-absent refused), checks for logical conflicts and
        // commits at version 2; version 1 is never overwritten.
        assertThat(second.commit(engine, CloseableIterable.emptyIterable()).getVersion())
                .isEqualTo(2);
        assertThat(new String(
                        s3.read(s3.resolve(location, "_delta_log/00000000000000000001.json"))
                                .orElseThrow(),
                        StandardCharsets.UTF_8))
                .isEqualTo(v1);
    }

    @Test
    void seeksReadTheRightBytesWhereverTheyLand() throws Exception {
        String path = "s3://" + bucket + "/blob.bin";
        byte[] content = new byte[io.deltaplane.storage.RangedInput.SKIP_WITHIN * 4];
        new Random(3).nextBytes(content);
        s3.putIfAbsent(path, content);
        StorageFileIO io = new StorageFileIO(s3);
        assertThat(io.newInputFile(path, -1).length()).isEqualTo(content.length);

        try (SeekableInputStream in = io.newInputFile(path, content.length).newStream()) {
            // far forward (a new ranged read), back, a short hop forward (read through), the last byte
            for (long at : new long[] {content.length - 8, 16, 16 + 1000, content.length - 1, 0}) {
                in.seek(at);
                assertThat(in.getPos()).isEqualTo(at);
                int n = (int) Math.min(8, content.length - at);
                byte[] got = new byte[n];
                in.readFully(got, 0, n);
                assertThat(got)
                        .as("at %d", at)
                        .isEqualTo(java.util.Arrays.copyOfRange(content, (int) at, (int) at + n));
                assertThat(in.getPos()).isEqualTo(at + n);
            }
            in.seek(content.length);
            assertThat(in.read()).isEqualTo(-1);
            assertThatThrownBy(() -> in.readFully(new byte[1], 0, 1)).isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void missingFilesAreNotFoundAndDeletesAreRefused() throws Exception {
        StorageFileIO io = new StorageFileIO(s3);
        String table = "s3://" + bucket + "/tables/none";
        assertThatThrownBy(() -> io.listFrom(table + "/_delta_log/00000000000000000000.json"))
                .isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> io.getFileStatus(table + "/_delta_log/_last_checkpoint"))
                .isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> io.newInputFile(table + "/_delta_log/_last_checkpoint", 0)
                        .newStream())
                .isInstanceOf(FileNotFoundException.class);
        // With a size (from a listing) the stream opens on its first read, and finds nothing then.
        try (SeekableInputStream in =
                io.newInputFile(table + "/_delta_log/gone.json", 10).newStream()) {
            assertThatThrownBy(in::read).isInstanceOf(FileNotFoundException.class);
        }

        String file = table + "/_delta_log/00000000000000000000.json";
        s3.putIfAbsent(file, "{}\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> io.delete(file)).isInstanceOf(IOException.class);
        assertThat(s3.exists(file)).isTrue();
        assertThat(io.getFileStatus(file).getSize()).isEqualTo(3);
        assertThat(io.resolvePath(table)).isEqualTo(table);
    }

    private static final tools.jackson.databind.json.JsonMapper JSON_MAPPER =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private static Transaction updateTransaction(Engine engine, String location) {
        return TableManager.loadSnapshot(location)
                .build(engine)
                .buildUpdateTableTransaction("deltaplane-tests", Operation.WRITE)
                .build(engine);
    }

    /** One Kernel append of the named (not actually written) data files; their table-relative paths. */
    private static List<String> append(Engine engine, String location, String... files) {
        Transaction txn = updateTransaction(engine, location);
        Row state = txn.getTransactionState(engine);
        List<DataFileStatus> statuses = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (String file : files) {
            statuses.add(new DataFileStatus(location + "/" + file, 1024, 1_700_000_000_000L, Optional.empty()));
            paths.add(file);
        }
        Map<String, Literal> noPartitions = Map.of();
        CloseableIterator<Row> actions = Transaction.generateAppendActions(
                engine,
                state,
                io.delta.kernel.internal.util.Utils.toCloseableIterator(statuses.iterator()),
                Transaction.getWriteContext(engine, state, noPartitions));
        txn.commit(engine, CloseableIterable.inMemoryIterable(actions));
        return paths;
    }

    private static Set<String> livePaths(Engine engine, Snapshot snapshot) {
        Set<String> paths = new HashSet<>();
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                FilteredColumnarBatch batch = batches.next();
                try (CloseableIterator<Row> rows = batch.getRows()) {
                    while (rows.hasNext()) {
                        Row row = rows.next();
                        Row add = row.getStruct(row.getSchema().indexOf("add"));
                        String path = add.getString(add.getSchema().indexOf("path"));
                        paths.add(path.substring(path.lastIndexOf('/') + 1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }
}
