package io.deltaplane.metadata.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.iceberg.DeltaTypes.Field;
import io.deltaplane.metadata.iceberg.DeltaTypes.Primitive;
import io.deltaplane.metadata.iceberg.RandomOperations.Kind;
import io.deltaplane.metadata.icebergmetadata.IcebergTables;
import io.deltaplane.metadata.maintenance.DeletionVectorFixtures;
import io.deltaplane.metadata.maintenance.MaintenanceTestBase;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.testing.IcebergReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generated tables, not only hand-made ones (#68 item 5): for each seed, a table with a random schema
 * (every Delta primitive, decimals of random precision and scale, a struct, an array and a map; a
 * string, integer or date partition column with hostile values, or none; column mapping and deletion
 * vectors or not: {@link RandomSchemas#PROFILES}) gets a random sequence of operations through {@code
 * /api/v1} ({@link RandomOperations}): appends of Parquet files written as Spark writes them ({@link
 * SparkParquet}; with Parquet field ids under column mapping, INT96 or INT64 timestamps) with their
 * Delta statistics ({@link DeltaStatistics}; now and then only the first columns', or none), removes,
 * OPTIMIZE, new columns, property-only versions, rows deleted by deletion vectors (inline and in
 * files), columns renamed (the partition columns too) and dropped and their names taken again, new
 * partition columns of any primitive type (one or two, every file removed in the same version), and
 * Iceberg switched off and on. At every version, what Iceberg's Java client reads through the Iceberg
 * REST door is what Delta Kernel reads from the published {@code _delta_log} ({@link VersionCheck}:
 * the columns and rows, and scans filtered on each column's least and greatest value, IS NULL, IS NOT
 * NULL and IS NaN plan every file holding a row the filter keeps).
 *
 * <p>Versions are compared as they are made (now and then, so that a load converts one version or
 * several; their rows), and all of them again at the end from the last metadata (rows and filters).
 * While Iceberg is switched off a load is refused ({@code ICEBERG_NOT_SERVED}) and nothing is
 * compared; switched on again, every version is. What the generator found that is not fixed yet is
 * left out by name: {@link KnownDisagreements}.
 *
 * <p>Seeds 1 to {@value #DEFAULT_SEEDS} by default; {@code -Dgenerated.seeds=<n>} runs seeds 1 to n,
 * {@code -Dgenerated.seed=<seed>[,<seed>…]} replays the seeds named. A failure names the seed, the
 * table's version, the operations so far and the diff (the version it is about in its first line).
 * Replays are exact but for the names of the files OPTIMIZE writes.
 */
class GeneratedTablesTest extends MaintenanceTestBase {

    static final int DEFAULT_SEEDS = 3;

    private static final ZoneOffset[] ZONES = {
        ZoneOffset.UTC, ZoneOffset.UTC, ZoneOffset.ofHours(1), ZoneOffset.ofHours(-8), ZoneOffset.ofHoursMinutes(5, 30)
    };

    /** The seeds this run plays. */
    static List<Long> seeds() {
        String named = System.getProperty("generated.seed", "");
        if (!named.isBlank()) {
            return Arrays.stream(named.split(","))
                    .map(String::trim)
                    .map(Long::parseLong)
                    .toList();
        }
        return LongStream.rangeClosed(1, Integer.getInteger("generated.seeds", DEFAULT_SEEDS))
                .boxed()
                .toList();
    }

    @Test
    void icebergReadsEveryVersionOfGeneratedTablesAsKernelDoes() {
        List<Long> seeds = seeds();
        List<String> failures = new ArrayList<>();
        List<Run> played = new ArrayList<>();
        for (long seed : seeds) {
            Run run = new Run(seed);
            long started = System.nanoTime();
            try {
                run.play();
                played.add(run);
            } catch (AssertionError | RuntimeException e) {
                failures.add(run.report(e));
            }
            System.out.printf(
                    "generated table seed %d: %d versions, %d compared as made, %d at the end, %d filters (%d"
                            + " skipping files), %d refused loads, %d ms (loads %d, Kernel %d, comparisons %d)%n",
                    seed,
                    run.version + 1,
                    run.comparedAsMade,
                    run.comparedAtEnd,
                    run.filters,
                    run.pruning,
                    run.refusals,
                    (System.nanoTime() - started) / 1_000_000,
                    run.loadNanos / 1_000_000,
                    run.kernelNanos / 1_000_000,
                    run.checkNanos / 1_000_000);
            System.out.println("  " + String.join("\n  ", run.log));
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + seeds.size() + " generated tables failed:\n\n"
                    + String.join("\n\n", failures));
        }

        // every table played, every one of its versions compared at the end, filters on each
        assertThat(played).hasSize(seeds.size());
        long promised = played.stream().mapToLong(run -> run.version + 1).sum();
        long compared = played.stream().mapToLong(run -> run.comparedAtEnd).sum();
        assertThat(compared)
                .as("versions compared at the end")
                .isEqualTo(promised)
                .isPositive();
        assertThat(played.stream().mapToLong(run -> run.comparedAsMade).sum())
                .as("versions compared as they were made")
                .isPositive();
        long filters = played.stream().mapToLong(run -> run.filters).sum();
        long promisedFilters =
                played.stream().mapToLong(run -> run.promisedFilters).sum();
        assertThat(filters).as("filters checked").isEqualTo(promisedFilters).isPositive();
        System.out.printf(
                "generated tables: %d seeds, %d versions compared at the end, %d as made, %d filters%n",
                seeds.size(),
                compared,
                played.stream().mapToLong(run -> run.comparedAsMade).sum(),
                filters);
    }

    /** One seed's table, played. */
    private final class Run {

        final long seed;
        final Random random;
        final RandomSchemas schemas;
        final RandomRows values;
        final RandomOperations operations;
        final List<String> log = new ArrayList<>();

        RandomSchemas.Profile profile;
        String catalog;
        String table;
        String location;
        String tableId;
        Lake lake;
        List<Field> columns;
        /** The partition columns, in the metaData's order. */
        List<Field> partitions = List.of();
        /** The values each partition column's files take, by its physical name. */
        final Map<String, List<Object>> pools = new HashMap<>();

        List<Object> lastPartition;
        /** The rows of each file written here, by its path in the add (its statistics may not say). */
        final Map<String, Long> records = new HashMap<>();

        int maxColumnId;
        /** Names dropped or renamed away, which a new column may take again. */
        final List<String> retired = new ArrayList<>();
        /** Every name a partition column has had. */
        final Set<String> partitionNames = new HashSet<>();
        /** The rows each file's deletion vector deletes, by the file's path in its add. */
        final Map<String, TreeSet<Integer>> deleted = new HashMap<>();

        boolean icebergOn = true;
        long version;
        long rows;
        int liveFiles;
        final Map<Long, Long> expectedRows = new HashMap<>();
        final Map<Long, KernelRows.Version> kernel = new HashMap<>();
        long nextAsMade;
        RESTCatalog client;

        long comparedAsMade;
        long comparedAtEnd;
        long filters;
        long pruning;
        long promisedFilters;
        long refusals;
        long kernelNanos;
        long checkNanos;
        long loadNanos;

        Run(long seed) {
            this.seed = seed;
            this.random = new Random(seed);
            this.schemas = new RandomSchemas(random);
            this.values = new RandomRows(random);
            this.operations = new RandomOperations(random);
        }

        void play() {
            create();
            try {
                // IcebergReader.catalog's client, and manifests cached: each version is planned many times
                client = new RESTCatalog();
                client.setConf(new Configuration());
                client.initialize(
                        "deltaplane",
                        Map.of(
                                "uri",
                                "http://localhost:" + port + IcebergReader.ICEBERG,
                                "warehouse",
                                catalog,
                                "token",
                                ADMIN_KEY,
                                "io-impl",
                                "org.apache.iceberg.hadoop.HadoopFileIO",
                                "io.manifest.cache-enabled",
                                "true"));
                afterVersion();
                Set<Kind> allowed = EnumSet.of(
                        Kind.APPEND, Kind.REMOVE, Kind.OPTIMIZE, Kind.ADD_COLUMN, Kind.PROPERTY, Kind.REPARTITION);
                if (profile.deletionVectors()) {
                    allowed.add(Kind.DELETE_ROWS);
                }
                if (profile.columnMapping()) {
                    allowed.add(Kind.RENAME_COLUMN);
                    allowed.add(Kind.DROP_COLUMN);
                    if (!partitions.isEmpty()) {
                        allowed.add(Kind.RENAME_PARTITION_COLUMN);
                    }
                }
                List<Kind> plan = operations.plan(allowed);
                log.add("(plan: " + plan + ")");
                int offFor = 0;
                for (Kind kind : plan) {
                    step(kind);
                    if (kind == Kind.ICEBERG_OFF) {
                        offFor = operations.offFor();
                    } else if (!icebergOn && --offFor == 0) {
                        step(Kind.ICEBERG_ON);
                    }
                }
                if (!icebergOn) {
                    step(Kind.ICEBERG_ON);
                }
                compare(0, false);
            } finally {
                if (client != null) {
                    try {
                        client.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        private void create() {
            catalog = newCatalogWithSchemaS();
            profile = RandomSchemas.PROFILES.get((int) Math.floorMod(seed - 1, (long) RandomSchemas.PROFILES.size()));
            List<Field> all = new ArrayList<>(schemas.initialColumns(profile.collections()));
            Field partition = schemas.partitionColumn(profile.partition());
            if (partition != null) {
                all.add(random.nextInt(all.size() + 1), partition);
            }
            Map<String, String> properties = new LinkedHashMap<>();
            if (profile.columnMapping()) {
                properties.put("delta.columnMapping.mode", "name");
            }
            if (profile.deletionVectors()) {
                properties.put("delta.enableDeletionVectors", "true");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("catalog_name", catalog);
            body.put("schema_name", "s");
            body.put("name", "t");
            body.put("schema", DeltaTypes.structJson(all, false));
            body.put("partition_columns", partition == null ? List.of() : List.of(partition.name()));
            body.put("properties", properties);
            ok(http.post("/api/v1/tables", JSON.writeValueAsString(body)), 201);
            table = catalog + ".s.t";
            JsonNode created = get("/api/v1/tables/" + table);
            location = created.get("location").asString();
            tableId = created.get("table_id").asString();
            // as the catalog made it: under column mapping, with ids and physical names
            columns = DeltaTypes.parse(created.get("schema"));
            if (partition != null) {
                partitionBy(List.of(column(partition.name())));
            }
            maxColumnId = created.get("properties")
                    .path("delta.columnMapping.maxColumnId")
                    .asInt(0);
            expectedRows.put(0L, 0L);
            lake = local(table);
            log.add("v0 CREATE " + profile + " " + columns + ", " + describePartitions());
        }

        /** Makes {@code by} the partition columns, each with 3 or 4 values its files take. */
        private void partitionBy(List<Field> by) {
            partitions = List.copyOf(by);
            pools.clear();
            lastPartition = null;
            for (Field p : by) {
                List<Object> pool =
                        new ArrayList<>(values.partitionValues((Primitive) p.type(), 3 + random.nextInt(2)));
                if (pool.isEmpty()) {
                    pool.add(null);
                }
                pools.put(p.physical(), pool);
                partitionNames.add(p.name());
            }
        }

        private String describePartitions() {
            if (partitions.isEmpty()) {
                return "unpartitioned";
            }
            StringJoiner described = new StringJoiner(", ", "partitioned by ", "");
            for (Field p : partitions) {
                described.add(describe(p.name()) + " " + p.type() + " with values "
                        + describe(pools.get(p.physical()).stream()
                                .map(v -> PartitionPaths.serialize((Primitive) p.type(), v, 0))
                                .toList()));
            }
            return described.toString();
        }

        private boolean isPartition(Field f) {
            return partitions.stream().anyMatch(p -> p.physical().equals(f.physical()));
        }

        private Field column(String name) {
            return columns.stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst()
                    .orElseThrow();
        }

        private void step(Kind kind) {
            switch (kind) {
                case APPEND -> appendFiles();
                case REMOVE -> {
                    if (liveFiles == 0) {
                        appendFiles();
                    } else {
                        removeFile();
                    }
                }
                case OPTIMIZE -> optimize();
                case ADD_COLUMN -> addColumn();
                case PROPERTY -> metaData("PROPERTY generated.property", Map.of("generated.property", "v" + version));
                case DELETE_ROWS -> deleteRows();
                case RENAME_COLUMN -> renameColumn(false);
                case RENAME_PARTITION_COLUMN -> renameColumn(true);
                case DROP_COLUMN -> dropColumn();
                case REPARTITION -> repartition();
                case ICEBERG_OFF -> {
                    metaData("ICEBERG_OFF", Map.of(IcebergTables.ENABLED, "false"));
                    icebergOn = false;
                }
                case ICEBERG_ON -> {
                    metaData("ICEBERG_ON", Map.of(IcebergTables.ENABLED, "true"));
                    icebergOn = true;
                }
            }
            afterVersion();
        }

        /** Now and then the versions made since the last comparison are compared; refused while Iceberg is off. */
        private void afterVersion() {
            if (!icebergOn) {
                refused();
            } else if (random.nextInt(10) < 6) {
                compare(nextAsMade, true);
                nextAsMade = version + 1;
            }
        }

        private List<Field> dataColumns() {
            return columns.stream().filter(f -> !isPartition(f)).toList();
        }

        private void appendFiles() {
            int files = random.nextInt(3) == 0 ? 2 : 1;
            List<String> actions = new ArrayList<>();
            StringJoiner described = new StringJoiner("; ");
            List<Field> data = dataColumns();
            for (int f = 0; f < files; f++) {
                List<Object> tuple = new ArrayList<>();
                if (lastPartition != null && random.nextBoolean()) {
                    tuple = lastPartition;
                } else {
                    for (Field p : partitions) {
                        tuple.add(pick(pools.get(p.physical())));
                    }
                }
                lastPartition = tuple;
                int count = 1 + random.nextInt(5);
                List<Object[]> written = new ArrayList<>();
                for (int r = 0; r < count; r++) {
                    written.add(values.row(data));
                }
                boolean int96 = random.nextInt(4) != 0;
                // Spark writes the ids of a table with column mapping; other writers may not. Not yet
                // with a list or map column: KnownDisagreements.listOrMapUnderFieldIds
                boolean ids = profile.columnMapping()
                        && random.nextInt(4) != 0
                        && !KnownDisagreements.listOrMapUnderFieldIds(data);
                DeltaStatistics.Writer writer = new DeltaStatistics.Writer(
                        random.nextBoolean(),
                        ZONES[random.nextInt(ZONES.length)],
                        random.nextInt(4) == 0 ? random.nextInt(8) : DeltaStatistics.INDEXED_COLUMNS,
                        random.nextInt(10) != 0);
                Map<String, String> partitionValuesOf = new LinkedHashMap<>();
                StringBuilder directory =
                        new StringBuilder(partitions.isEmpty() && random.nextBoolean() ? "data/" : "");
                for (int p = 0; p < partitions.size(); p++) {
                    Field column = partitions.get(p);
                    String serialized = PartitionPaths.serialize(
                            (Primitive) column.type(), tuple.get(p), random.nextInt(PartitionPaths.TIMESTAMP_FORMS));
                    partitionValuesOf.put(column.physical(), serialized);
                    directory
                            .append(PartitionPaths.directory(column.physical(), serialized))
                            .append('/');
                }
                String name =
                        "part-0000" + f + "-" + new UUID(random.nextLong(), random.nextLong()) + ".c000.snappy.parquet";
                Path file = StoragePaths.toPath(location).resolve(directory + name);
                SparkParquet.write(file, data, written, int96, ids);
                Map<String, Object> add = new LinkedHashMap<>();
                add.put("path", PartitionPaths.uri(directory + name, random.nextBoolean()));
                add.put("partitionValues", partitionValuesOf);
                try {
                    add.put("size", Files.size(file));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                add.put("modificationTime", System.currentTimeMillis());
                add.put("dataChange", true);
                if (writer.any()) {
                    add.put("stats", DeltaStatistics.of(data, written, writer));
                }
                actions.add(JSON.writeValueAsString(Map.of("add", add)));
                records.put((String) add.get("path"), (long) count);
                rows += count;
                liveFiles++;
                described.add(count + " rows in " + add.get("path")
                        + (partitions.isEmpty()
                                ? ""
                                : " (" + describe(new ArrayList<>(partitionValuesOf.values())) + ")")
                        + (int96 ? ", INT96" : ", INT64 timestamps") + (ids ? ", field ids" : "") + ", " + writer);
            }
            commitVersion("APPEND " + described, actions);
        }

        /** The live files' adds, ordered by what they hold (OPTIMIZE's names differ from one replay to the next). */
        private List<JsonNode> liveAdds() {
            List<JsonNode> files = new ArrayList<>();
            get("/api/v1/tables/" + table + "/snapshot/files?max_results=1000")
                    .get("files")
                    .forEach(files::add);
            files.sort(Comparator.comparing((JsonNode f) ->
                            f.path("stats").asString("") + f.path("partitionValues") + f.path("deletionVector"))
                    .thenComparing(f -> f.get("path").asString()));
            assertThat(files).as("live files").hasSize(liveFiles);
            return files;
        }

        /** The rows a live file holds for readers: its records but those its deletion vector deletes. */
        private long liveRows(JsonNode add) {
            return records(add) - add.path("deletionVector").path("cardinality").asLong(0);
        }

        /** A file's records: in its statistics, or as written here. */
        private long records(JsonNode add) {
            JsonNode count = add.has("stats")
                    ? JSON.readTree(add.get("stats").asString()).path("numRecords")
                    : JSON.missingNode();
            if (count.canConvertToLong()) {
                return count.asLong();
            }
            Long written = records.get(add.get("path").asString());
            assertThat(written)
                    .as("rows of %s, written without statistics", add.get("path"))
                    .isNotNull();
            return written;
        }

        private void removeFile() {
            JsonNode add = pick(liveAdds());
            long live = liveRows(add);
            rows -= live;
            liveFiles--;
            deleted.remove(add.get("path").asString());
            commitVersion(
                    "REMOVE " + add.get("path").asString() + " (" + live + " rows)",
                    List.of(DeletionVectorFixtures.removeOf(add)));
        }

        /** Deletes some of a file's rows (never all) with a deletion vector: inline, or in a file as Spark writes it. */
        private void deleteRows() {
            // a file with statistics: Delta's writers count the records of a file with a vector
            List<JsonNode> candidates = liveAdds().stream()
                    .filter(f -> f.has("stats") && liveRows(f) >= 2)
                    .toList();
            if (candidates.isEmpty()) {
                appendFiles();
                return;
            }
            ObjectNode add = (ObjectNode) pick(candidates).deepCopy();
            String path = add.get("path").asString();
            int records = (int) records(add);
            TreeSet<Integer> gone = new TreeSet<>(deleted.getOrDefault(path, new TreeSet<>()));
            int before = gone.size();
            assertThat((long) before)
                    .as("rows %s's vector deletes", path)
                    .isEqualTo(add.path("deletionVector").path("cardinality").asLong(0));
            int more = 1 + random.nextInt(records - before - 1);
            while (gone.size() < before + more) {
                gone.add(random.nextInt(records));
            }
            int[] indexes = gone.stream().mapToInt(Integer::intValue).toArray();
            ObjectNode vector;
            boolean inline = random.nextBoolean();
            try {
                vector = inline
                        ? DeletionVectorFixtures.inline(indexes)
                        : DeletionVectorFixtures.onDisk(
                                StoragePaths.toPath(location)
                                        .resolve("dv/deletion_vector_" + new UUID(random.nextLong(), random.nextLong())
                                                + ".bin"),
                                indexes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // Delta's statistics of a file with a vector are those of the whole file, no longer tight
            ObjectNode stats = (ObjectNode) JSON.readTree(add.get("stats").asString());
            stats.put("tightBounds", false);
            ObjectNode replaced = add.deepCopy();
            replaced.put("stats", JSON.writeValueAsString(stats));
            rows -= more;
            deleted.put(path, gone);
            commitVersion(
                    "DELETE_ROWS " + gone + " of the " + records + " rows of " + path + " ("
                            + (inline ? "inline" : "in a file") + " vector)",
                    List.of(DeletionVectorFixtures.removeOf(add), DeletionVectorFixtures.addWith(replaced, vector)));
        }

        private void optimize() {
            JsonNode result = ok(http.post("/api/v1/tables/" + table + "/optimize", "{}"), 200);
            if (result.hasNonNull("version")) {
                assertThat(result.get("version").asLong()).isEqualTo(version + 1);
                version++;
                liveFiles += result.get("files_added").asInt()
                        - result.get("files_removed").asInt();
                expectedRows.put(version, rows);
                log.add("v" + version + " OPTIMIZE "
                        + result.get("files_removed").asInt() + " files into "
                        + result.get("files_added").asInt());
                liveAdds().forEach(f -> {
                    if (!f.has("deletionVector")) {
                        deleted.remove(f.get("path").asString());
                    }
                });
            } else {
                log.add("(OPTIMIZE, nothing to compact: no version)");
            }
        }

        private void addColumn() {
            Field added = schemas.addedColumn(true);
            // under column mapping, now and then the name of a column dropped or renamed before
            if (profile.columnMapping() && !retired.isEmpty() && random.nextInt(3) == 0) {
                String reused = retired.get(random.nextInt(retired.size()));
                if (columns.stream().noneMatch(f -> f.name().equalsIgnoreCase(reused))
                        // not yet: KnownDisagreements.namedAsAPartitionColumnWas
                        && !KnownDisagreements.namedAsAPartitionColumnWas(reused, partitionNames)) {
                    added = added.renamed(reused);
                }
            }
            if (profile.columnMapping()) {
                added = schemas.mapped(added, () -> ++maxColumnId);
            }
            columns = new ArrayList<>(columns);
            columns.add(added);
            metaData("ADD_COLUMN " + added, Map.of());
        }

        /** Renames a data column, or the partition column. */
        private void renameColumn(boolean partitionColumn) {
            List<Field> candidates = dataColumns();
            Field from = partitionColumn && !partitions.isEmpty() ? pick(partitions) : pick(candidates);
            Field to = from.renamed(schemas.newName());
            columns = new ArrayList<>(columns);
            columns.set(columns.indexOf(from), to);
            if (isPartition(from)) {
                List<Field> renamed = new ArrayList<>(partitions);
                renamed.set(renamed.indexOf(from), to);
                partitions = List.copyOf(renamed);
                partitionNames.add(to.name());
            }
            retired.add(from.name());
            metaData("RENAME_COLUMN " + describe(from.name()) + " to " + describe(to.name()), Map.of());
        }

        private void dropColumn() {
            List<Field> data = dataColumns();
            if (data.size() <= 2) {
                addColumn();
                return;
            }
            Field dropped = pick(data);
            columns = new ArrayList<>(columns);
            columns.remove(dropped);
            retired.add(dropped.name());
            metaData("DROP_COLUMN " + describe(dropped.name()), Map.of());
        }

        /**
         * New partition columns (none, or one or two columns of any primitive type but binary) in a
         * version that removes every file: rows are not moved, the table starts again.
         */
        private void repartition() {
            List<Field> candidates = new ArrayList<>(columns.stream()
                    .filter(f -> f.nullable()
                            && f.type() instanceof Primitive p
                            && !p.name().equals("binary"))
                    .toList());
            Collections.shuffle(candidates, random);
            int count = !partitions.isEmpty() && random.nextInt(4) == 0 ? 0 : random.nextInt(3) == 0 ? 2 : 1;
            List<JsonNode> files = liveAdds();
            partitionBy(candidates.subList(0, Math.min(count, candidates.size())));
            rows = 0;
            liveFiles = 0;
            deleted.clear();
            List<String> actions = new ArrayList<>();
            actions.add(metaDataAction(Map.of()));
            files.forEach(f -> actions.add(DeletionVectorFixtures.removeOf(f)));
            commitVersion("REPARTITION, " + describePartitions() + ", " + files.size() + " files removed", actions);
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        /** A version whose metaData is the table's schema with {@code changed} properties. */
        private void metaData(String what, Map<String, String> changed) {
            commitVersion(what, List.of(metaDataAction(changed)));
        }

        private String metaDataAction(Map<String, String> changed) {
            JsonNode current = get("/api/v1/tables/" + table);
            Map<String, String> configuration = new LinkedHashMap<>();
            current.get("properties")
                    .properties()
                    .forEach(e -> configuration.put(e.getKey(), e.getValue().asString()));
            configuration.putAll(changed);
            if (profile.columnMapping()) {
                configuration.put("delta.columnMapping.maxColumnId", Integer.toString(maxColumnId));
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("id", tableId);
            metadata.put("format", Map.of("provider", "parquet", "options", Map.of()));
            metadata.put(
                    "schemaString", JSON.writeValueAsString(DeltaTypes.structJson(columns, profile.columnMapping())));
            metadata.put(
                    "partitionColumns", partitions.stream().map(Field::name).toList());
            metadata.put("configuration", configuration);
            return JSON.writeValueAsString(Map.of("metaData", metadata));
        }

        private void commitVersion(String what, List<String> actions) {
            HttpResponse<String> response = commit(table, version, actions.toArray(String[]::new));
            assertThat(response.statusCode())
                    .as("%s: %s", what, response.body())
                    .isEqualTo(201);
            assertThat(JSON.readTree(response.body()).get("version").asLong()).isEqualTo(version + 1);
            version++;
            expectedRows.put(version, rows);
            log.add("v" + version + " " + what);
        }

        private void refused() {
            HttpResponse<String> load =
                    http.get(IcebergRestController.BASE + "/v1/catalogs/" + catalog + "/namespaces/s/tables/t");
            assertThat(load.statusCode())
                    .as("version %d, Iceberg off: %s", version, load.body())
                    .isEqualTo(422);
            assertThat(JSON.readTree(load.body()).get("error").get("error_code").asString())
                    .isEqualTo("ICEBERG_NOT_SERVED");
            refusals++;
        }

        /** Loads the table (converting it up to the latest version) and compares versions {@code from} on. */
        private void compare(long from, boolean asMade) {
            long loading = System.nanoTime();
            awaitPublished(table, version);
            Table loaded = client.loadTable(TableIdentifier.of("s", "t"));
            loadNanos += System.nanoTime() - loading;
            Map<Long, Long> snapshots = IcebergReader.snapshotsByVersion(loaded);
            assertThat(Long.parseLong(loaded.currentSnapshot().summary().get("deltaplane.delta-version")))
                    .as("the version the current snapshot reflects")
                    .isEqualTo(version);
            for (long v = from; v <= version; v++) {
                assertThat(snapshots).as("a snapshot for version %d", v).containsKey(v);
                long at = v;
                long reading = System.nanoTime();
                KernelRows.Version read = kernel.computeIfAbsent(v, x -> KernelRows.read(location, at, lake.engine()));
                kernelNanos += System.nanoTime() - reading;
                assertThat((long) read.rows().size())
                        .as("rows Kernel reads at version %d", v)
                        .isEqualTo(expectedRows.get(v));
                long started = System.nanoTime();
                // filters at the end, where every version is compared; as made, the rows only
                VersionCheck.Counts counts = VersionCheck.compare(loaded, snapshots.get(v), read, !asMade);
                checkNanos += System.nanoTime() - started;
                filters += counts.filters();
                pruning += counts.pruning();
                if (!asMade) {
                    promisedFilters += promisedFilters(read);
                }
                if (asMade) {
                    comparedAsMade++;
                } else {
                    comparedAtEnd++;
                }
            }
        }

        /**
         * The filters a version promises: on each column to filter on, its least and greatest value if
         * it has one (not null, not NaN), IS NULL if a row is null, IS NOT NULL if one is not, IS NaN if
         * one is.
         */
        private long promisedFilters(KernelRows.Version read) {
            long promised = 0;
            for (KernelRows.FilterColumn column : read.filterColumns()) {
                boolean nan = column.values().stream()
                        .anyMatch(v -> (v instanceof Float f && f.isNaN()) || (v instanceof Double d && d.isNaN()));
                boolean value = column.values().stream()
                        .anyMatch(v -> v != null
                                && !(v instanceof Float f && f.isNaN())
                                && !(v instanceof Double d && d.isNaN()));
                promised += (value ? 2 : 0)
                        + (column.values().contains(null) ? 1 : 0)
                        + (value || nan ? 1 : 0)
                        + (nan ? 1 : 0);
            }
            return promised;
        }

        String report(Throwable failure) {
            StringBuilder trace = new StringBuilder();
            if (!(failure instanceof AssertionError)) {
                for (StackTraceElement frame : failure.getStackTrace()) {
                    trace.append("\tat ").append(frame).append('\n');
                    if (frame.getClassName().startsWith(GeneratedTablesTest.class.getName())) {
                        break; // the generator's frame: what follows is JUnit's
                    }
                }
                for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                    trace.append("caused by ").append(cause).append('\n');
                }
            }
            return "seed " + seed + " failed, " + table + " at version " + version + " (" + location + ")\n"
                    + "replay: ./mvnw -B -o -pl metadata-service -am test -Dtest=GeneratedTablesTest"
                    + " -Dgenerated.seed=" + seed + " -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dspotless.check.skip=true\n"
                    + "operations:\n  " + String.join("\n  ", log) + "\n"
                    + failure + "\n" + trace;
        }
    }

    /** Values as Java would write them: strings quoted, everything beyond printable ASCII escaped. */
    static String describe(Object value) {
        if (value instanceof List<?> list) {
            StringJoiner joined = new StringJoiner(", ", "[", "]");
            list.forEach(v -> joined.add(describe(v)));
            return joined.toString();
        }
        if (!(value instanceof String s)) {
            return String.valueOf(value);
        }
        StringBuilder escaped = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                escaped.append(c);
            } else {
                escaped.append(String.format("\\u%04X", (int) c));
            }
        }
        return escaped.append('"').toString();
    }
}
