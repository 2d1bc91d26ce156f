package io.deltaplane.metadata.imports;

import io.delta.kernel.CommitRangeBuilder.CommitBoundary;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelEngineException;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.exceptions.UnsupportedProtocolVersionException;
import io.delta.kernel.exceptions.UnsupportedTableFeatureException;
import io.delta.kernel.internal.tablefeatures.TableFeatures;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.storage.Storage;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an existing table's {@code _delta_log} with Delta Kernel: the latest snapshot (which also
 * checks that the protocol is one Kernel reads and writes) and the commit history as the files
 * Kernel lists, each version's actions taken verbatim from its commit file.
 */
final class DeltaLogReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Storage storage;
    private final String location;
    /** Kernel reading through the same storage as everything else (checkpoints on S3 included). */
    private final Engine engine;

    DeltaLogReader(Storage storage, String location) {
        this.storage = storage;
        this.location = location;
        this.engine = DeltaKernelEngines.over(storage);
    }

    /** The latest snapshot; a 422 problem when there is no Delta table or Kernel cannot handle it. */
    Snapshot latest() {
        List<String> names;
        try {
            names = storage.list(storage.resolve(location, DeltaLogNames.LOG_DIR));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.DELTA_LOG_UNREADABLE, "Cannot list " + location + "/_delta_log: " + e);
        }
        boolean anyVersion = names.stream()
                .anyMatch(n -> DeltaLogNames.commitVersion(n).isPresent()
                        || DeltaLogNames.checkpointVersion(n).isPresent());
        if (!anyVersion) {
            throw new ApiException(
                    ErrorCode.NOT_A_DELTA_TABLE,
                    "No Delta table at " + location + ": there is no _delta_log with commit files");
        }
        Snapshot snapshot;
        try {
            snapshot = TableManager.loadSnapshot(location).build(engine);
        } catch (TableNotFoundException e) {
            throw new ApiException(
                    ErrorCode.NOT_A_DELTA_TABLE, "No Delta table at " + location + ": " + e.getMessage());
        } catch (UnsupportedProtocolVersionException | UnsupportedTableFeatureException e) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                    "The table at " + location + " uses a protocol Delta Kernel cannot read: " + e.getMessage());
        } catch (KernelException | KernelEngineException | UncheckedIOException e) {
            throw new ApiException(
                    ErrorCode.DELTA_LOG_UNREADABLE,
                    "Cannot read the _delta_log at " + location + ": " + e.getMessage());
        }
        try {
            TableFeatures.validateKernelCanWriteToTable(snapshot.getProtocol(), snapshot.getMetadata(), location);
        } catch (KernelException e) {
            throw new ApiException(
                    ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                    "The table at " + location + " uses writer features Deltaplane cannot maintain: " + e.getMessage());
        }
        return snapshot;
    }

    /** The commit files of versions 0..version, in order; 422 when early versions were cleaned up. */
    List<FileStatus> commitFiles(long version) {
        List<FileStatus> files;
        try {
            files = TableManager.loadCommitRange(location, CommitBoundary.atVersion(0))
                    .withEndBoundary(CommitBoundary.atVersion(version))
                    .build(engine)
                    .getDeltaFiles();
        } catch (KernelException e) {
            throw historyIncomplete(e.getMessage());
        }
        for (int i = 0; i < files.size(); i++) {
            String name = fileName(files.get(i).getPath());
            OptionalLong v = DeltaLogNames.commitVersion(name);
            if (v.isEmpty() || v.getAsLong() != i) {
                throw historyIncomplete("expected version " + i + ", found " + name);
            }
        }
        if (files.size() != version + 1) {
            throw historyIncomplete("found " + files.size() + " commit files for versions 0.." + version);
        }
        return files;
    }

    /** One commit file's actions, one per line. */
    List<JsonNode> actions(FileStatus file) {
        byte[] bytes;
        try {
            bytes = storage.read(file.getPath())
                    .orElseThrow(() -> new IOException(file.getPath() + " disappeared while importing"));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.DELTA_LOG_UNREADABLE, "Cannot read " + file.getPath() + ": " + e);
        }
        List<JsonNode> actions = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                actions.add(JSON.readTree(line));
            } catch (JacksonException e) {
                throw new ApiException(
                        ErrorCode.DELTA_LOG_UNREADABLE, fileName(file.getPath()) + " is not valid Delta JSON");
            }
        }
        return actions;
    }

    /** Number of live files in the snapshot, as Kernel replays them. */
    long liveFiles(Snapshot snapshot) {
        long count = 0;
        try (CloseableIterator<FilteredColumnarBatch> batches =
                snapshot.getScanBuilder().build().getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        rows.next();
                        count++;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static io.deltaplane.support.problem.ApiException historyIncomplete(String why) {
        return new ApiException(
                ErrorCode.DELTA_HISTORY_INCOMPLETE,
                "The _delta_log no longer holds every commit from version 0 (" + why
                        + "); Deltaplane imports a table together with its full commit history");
    }
}
