package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.MetadataClient.VersionConflict;
import io.deltaplane.ingest.delta.ParquetBatchWriter.Stats;
import io.deltaplane.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rewrites the small files a stream leaves in its table into larger ones, as an ordinary Delta
 * commit: the small files removed and the new file added, all with {@code dataChange: false}, so
 * readers at every version see the same rows and streaming readers of the table see no new data.
 * It carries no {@code txn}: the stream's positions are untouched, and if the stream commits in
 * between, compaction retries on the new version (its removes still name live files) — it never
 * makes the stream wait.
 */
public final class DeltaCompactor {

    private static final Logger log = LoggerFactory.getLogger(DeltaCompactor.class);
    static final String OPERATION = "OPTIMIZE";
    private static final int COMMIT_ATTEMPTS = 5;

    private final MetadataClient metadata;
    private final Storage storage;
    private final JsonMapper json;
    private final Clock clock;
    private final DeltaTargetProperties properties;

    public DeltaCompactor(
            MetadataClient metadata, Storage storage, JsonMapper json, Clock clock, DeltaTargetProperties properties) {
        this.metadata = requireNonNull(metadata, "metadata");
        this.storage = requireNonNull(storage, "storage");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
    }

    /** A live file as its add action describes it. */
    record LiveFile(String path, Map<String, String> partitionValues, long size) {}

    /** What one compaction did: files removed, files added, the version committed (-1: none). */
    public record Outcome(int removed, int added, long version) {
        static final Outcome NONE = new Outcome(0, 0, -1);
    }

    /**
     * Compacts {@code target} if it has at least {@code compaction-min-files} small files: each
     * partition's small files are bin-packed up to {@code compaction-target-bytes} per new file.
     */
    public Outcome compact(DeltaTarget target, DuckDBConnection connection, Path staging)
            throws IOException, SQLException {
        long version = metadata.snapshot(target.fullName()).version();
        List<LiveFile> small = new ArrayList<>();
        metadata.files(target.fullName(), version, add -> {
            long size = add.path("size").asLong();
            if (size < properties.compactionSmallFileBytes()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (var e : add.path("partitionValues").properties()) {
                    values.put(
                            e.getKey(),
                            e.getValue().isNull() ? null : e.getValue().asString());
                }
                small.add(new LiveFile(add.path("path").asString(), values, size));
            }
        });
        if (small.size() < properties.compactionMinFiles()) {
            return Outcome.NONE;
        }
        Map<Map<String, String>, List<LiveFile>> byPartition = new LinkedHashMap<>();
        small.forEach(f -> byPartition
                .computeIfAbsent(f.partitionValues(), k -> new ArrayList<>())
                .add(f));
        List<ObjectNode> actions = new ArrayList<>();
        List<String> written = new ArrayList<>();
        int removed = 0;
        Files.createDirectories(staging);
        try {
            for (List<LiveFile> files : byPartition.values()) {
                files.sort(Comparator.comparing(LiveFile::path));
                for (List<LiveFile> bin : bins(files)) {
                    if (bin.size() < 2) {
                        continue;
                    }
                    actions.add(rewrite(target, connection, staging, bin, written));
                    for (LiveFile f : bin) {
                        actions.add(remove(f));
                        removed++;
                    }
                }
            }
            if (written.isEmpty()) {
                return Outcome.NONE;
            }
            long committed = commit(target, version, actions);
            log.info(
                    "Compacted {}: {} small files into {} (version {})",
                    target.fullName(),
                    removed,
                    written.size(),
                    committed);
            return new Outcome(removed, written.size(), committed);
        } catch (IOException | SQLException | RuntimeException e) {
            // Nothing references the new files: take them back.
            for (String path : written) {
                storage.delete(storage.resolve(target.location(), path));
            }
            throw e;
        }
    }

    /** Groups files (in order) into bins of at most the target size. */
    private List<List<LiveFile>> bins(List<LiveFile> files) {
        List<List<LiveFile>> bins = new ArrayList<>();
        List<LiveFile> bin = new ArrayList<>();
        long size = 0;
        for (LiveFile f : files) {
            if (!bin.isEmpty() && size + f.size() > properties.compactionTargetBytes()) {
                bins.add(bin);
                bin = new ArrayList<>();
                size = 0;
            }
            bin.add(f);
            size += f.size();
        }
        if (!bin.isEmpty()) {
            bins.add(bin);
        }
        return bins;
    }

    /** Writes the bin's rows as one new file next to them; returns its add action. */
    private ObjectNode rewrite(
            DeltaTarget target, DuckDBConnection connection, Path staging, List<LiveFile> bin, List<String> written)
            throws IOException, SQLException {
        List<Path> local = new ArrayList<>();
        Path out = staging.resolve(UUID.randomUUID() + ".parquet");
        try {
            for (LiveFile f : bin) {
                Path copy = staging.resolve(UUID.randomUUID() + ".src.parquet");
                try (InputStream in = storage.open(storage.resolve(target.location(), decode(f.path())))
                        .orElseThrow(() -> new IOException("A live file is missing: " + f.path()))) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                local.add(copy);
            }
            StringBuilder list = new StringBuilder("[");
            for (Path p : local) {
                list.append(list.length() == 1 ? "" : ", ")
                        .append('\'')
                        .append(p)
                        .append('\'');
            }
            String select = "SELECT * FROM read_parquet(" + list + "], hive_partitioning = false)";
            try (Statement s = connection.createStatement()) {
                s.execute("COPY (" + select + ") TO '" + out + "' (FORMAT parquet, COMPRESSION zstd)");
            }
            List<DeltaColumns.Column> stored = target.columns().stream()
                    .filter(c -> !target.partitionBy().contains(c.name()))
                    .toList();
            Stats stats = ParquetBatchWriter.stats(connection, "SELECT * FROM read_parquet('" + out + "')", stored);
            connection.commit();
            String dir = decode(bin.get(0).path());
            dir = dir.contains("/") ? dir.substring(0, dir.lastIndexOf('/') + 1) : "";
            String relative = dir + "part-00000-" + UUID.randomUUID() + ".c000.zstd.parquet";
            if (!storage.putIfAbsent(storage.resolve(target.location(), relative), o -> Files.copy(out, o))) {
                throw new IOException("A file already exists at " + relative);
            }
            written.add(relative);
            ObjectNode a = json.createObjectNode();
            ObjectNode add = a.putObject("add");
            add.put("path", relative.replace("%", "%25"));
            ObjectNode values = add.putObject("partitionValues");
            bin.get(0).partitionValues().forEach(values::put);
            add.put("size", Files.size(out));
            add.put("modificationTime", clock.millis());
            add.put("dataChange", false);
            add.put("stats", stats.json());
            return a;
        } finally {
            for (Path p : local) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(out);
        }
    }

    private ObjectNode remove(LiveFile f) {
        ObjectNode r = json.createObjectNode();
        ObjectNode remove = r.putObject("remove");
        remove.put("path", f.path());
        remove.put("deletionTimestamp", clock.millis());
        remove.put("dataChange", false);
        remove.put("extendedFileMetadata", true);
        ObjectNode values = remove.putObject("partitionValues");
        f.partitionValues().forEach(values::put);
        remove.put("size", f.size());
        return r;
    }

    private long commit(DeltaTarget target, long version, List<ObjectNode> fileActions) throws IOException {
        List<JsonNode> actions = new ArrayList<>();
        ObjectNode info = json.createObjectNode();
        ObjectNode commitInfo = info.putObject("commitInfo");
        commitInfo.put("operation", OPERATION);
        commitInfo.putObject("operationParameters").put("predicate", "[]").put("auto", true);
        commitInfo.put("engineInfo", "Deltaplane ingest-worker");
        commitInfo.put("isBlindAppend", false);
        actions.add(info);
        actions.addAll(fileActions);
        long expected = version;
        for (int attempt = 1; ; attempt++) {
            try {
                return metadata.commit(target.fullName(), expected, actions, OPERATION);
            } catch (VersionConflict conflict) {
                if (attempt >= COMMIT_ATTEMPTS) {
                    throw new IOException(
                            "Compaction of " + target.fullName() + " lost " + attempt + " races", conflict);
                }
                // The stream (or another writer) committed: its adds leave our removes valid; retry on top.
                expected = metadata.snapshot(target.fullName()).version();
            }
        }
    }

    /** Add and remove paths are URIs; storage takes plain relative paths. */
    private static String decode(String path) {
        return URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
