package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.DeletionVectors;
import io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository.DeltaCommit;
import io.deltaplane.metadata.icebergmetadata.IcebergMetadataRepository.FileRow;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes a table's Iceberg metadata from what its Delta log ratified, version by version: one
 * Iceberg snapshot per Delta version (its adds appended, its removes deleted, the Delta version and
 * commit time in the snapshot's summary), a new Iceberg schema where a version's metaData changes
 * it. A table's first conversion starts from its earliest retained version, whose live files make
 * the first snapshot (the backfill); after that each version costs what it changed. iceberg-core
 * writes the manifests, manifest lists and metadata files (through {@link IcebergStorageIO});
 * Postgres holds the pointer ({@link IcebergTableOperations}).
 *
 * <p>One conversion per table at a time in this process (a lock per table's stripe); replicas race
 * on the pointer's compare-and-set, and the loser carries on from what the winner made, never
 * making a second snapshot of a version the winner converted ({@link
 * IcebergTableOperations.ConvertedElsewhere}).
 */
@Component
class IcebergConversion {

    /** The snapshot summary key naming the Delta version a snapshot reflects. */
    static final String DELTA_VERSION = "deltaplane.delta-version";
    /** The snapshot summary key with the Delta version's commit time (epoch milliseconds). */
    static final String DELTA_COMMITTED_AT = "deltaplane.delta-committed-at-ms";
    /** The snapshot summary key with the id of the partition spec the snapshot's new files were added under. */
    static final String PARTITION_SPEC_ID = "deltaplane.partition-spec-id";

    static final int FORMAT_VERSION = 2;
    /** Tables whose Delta protocol has deletion vectors are Iceberg v3, whose deletion vectors are Delta's. */
    static final int VECTORS_FORMAT_VERSION = 3;

    static final int COMMITS_PER_READ = 200;
    private static final int STRIPES = 64;
    /** Reads actions with their numbers exact (statistics in an add are decimals, not doubles). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final IcebergMetadataRepository repository;
    private final Storages storages;
    private final IcebergStorageIO io;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final RecentMetadata recent;
    private final int snapshotsKept;
    private final Counter converted;
    private final Counter failed;
    private final Counter racesLost;
    /** Data files whose field ids passed the check, kept across conversions (in memory: lost with the process, read again). */
    private final FieldIdFooters footers = new FieldIdFooters();

    private final Counter versions;
    private final Timer time;

    IcebergConversion(
            IcebergMetadataRepository repository,
            Storages storages,
            MeterRegistry registry,
            IcebergProperties properties) {
        this.recent = new RecentMetadata(properties.recentSnapshots());
        this.snapshotsKept = properties.snapshotsKept();
        this.converted = Counter.builder("deltaplane.iceberg.conversions")
                .tag("outcome", "converted")
                .description("Conversions of a table's new Delta versions into Iceberg metadata")
                .register(registry);
        this.failed = Counter.builder("deltaplane.iceberg.conversions")
                .tag("outcome", "failed")
                .description("Conversions of a table's new Delta versions into Iceberg metadata")
                .register(registry);
        this.racesLost = Counter.builder("deltaplane.iceberg.conversion.races.lost")
                .description("Conversions whose pointer swap another replica won first (the loser carries on from it)")
                .register(registry);
        this.versions = Counter.builder("deltaplane.iceberg.versions")
                .description("Delta versions made into Iceberg snapshots")
                .register(registry);
        this.time = Timer.builder("deltaplane.iceberg.conversion")
                .description("Time to bring a table's Iceberg metadata up to its Delta log")
                .register(registry);
        this.repository = requireNonNull(repository, "repository");
        this.storages = requireNonNull(storages, "storages");
        this.io = new IcebergStorageIO(storages);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** Races lost to other replicas converting the same table before a conversion gives up (transiently). */
    static final int MAX_RACES = 5;

    /** The table's Iceberg metadata as it is now (no conversion), or null if it has none yet. */
    TableMetadata current(TableRow table) {
        return operations(table).refresh();
    }

    /**
     * Brings the table's Iceberg metadata up to Delta version {@code target} and answers it. A
     * failure is recorded on the table and rethrown; what was converted before it stays.
     */
    TableMetadata convertTo(TableRow table, long target) {
        ReentrantLock lock = locks[Math.floorMod(table.id().hashCode(), STRIPES)];
        lock.lock();
        Timer.Sample started = Timer.start();
        try {
            for (int lost = 0; ; ) {
                // the metadata this attempt started from, as its own refresh read it (no second read)
                AtomicReference<TableMetadata> before = new AtomicReference<>();
                try {
                    TableMetadata metadata = catchUp(table, target, before);
                    converted.increment();
                    return metadata;
                } catch (CommitFailedException | IcebergTableOperations.ConvertedElsewhere raced) {
                    TableMetadata now = current(table);
                    if (!movedSince(before.get(), now)) {
                        // nobody else moved the pointer: not a race, the conversion's own failure
                        throw new IllegalStateException(raced.getMessage(), raced);
                    }
                    // another replica converted first: its metadata may already be what is asked
                    // for; else carry on from it. Losing races is never the table's failure.
                    racesLost.increment();
                    if (now.currentSnapshot() != null && deltaVersion(now) >= target) {
                        return now;
                    }
                    if (++lost >= MAX_RACES) {
                        throw new CommitFailedException(
                                raced,
                                "Iceberg metadata of %s: lost %d races to other replicas converting it; retry shortly",
                                table.fullName(),
                                lost);
                    }
                }
            }
        } catch (CommitFailedException lostRaces) {
            throw lostRaces; // transient (ConversionFailures): the table has not failed
        } catch (RuntimeException e) {
            failed.increment();
            repository.failed(table.id(), String.valueOf(e.getMessage()));
            throw e;
        } finally {
            started.stop(time);
            lock.unlock();
        }
    }

    /** Whether another converter moved the table's metadata pointer between {@code before} and {@code now}. */
    private static boolean movedSince(TableMetadata before, TableMetadata now) {
        if (now == null) {
            return false;
        }
        return before == null || !java.util.Objects.equals(before.metadataFileLocation(), now.metadataFileLocation());
    }

    private IcebergTableOperations operations(TableRow table) {
        return new IcebergTableOperations(table.id(), table.fullName(), io, repository, this::read, recent::remember);
    }

    /** A metadata file, read once while it is recent: each is written once under a unique name and never changes. */
    private TableMetadata read(String location) {
        return recent.read(location, at -> TableMetadataParser.read(io, at));
    }

    /** {@code startedFrom} is given the metadata the conversion starts from (null: none yet). */
    private TableMetadata catchUp(TableRow table, long target, AtomicReference<TableMetadata> startedFrom) {
        IcebergTableOperations ops = operations(table);
        TableMetadata current = ops.refresh();
        startedFrom.set(current);
        long next;
        DeltaMetaData schemas;
        if (current == null || current.currentSnapshot() == null) {
            // a first conversion, or one another replica (or a failed attempt) left after making
            // the table but before its first snapshot: the backfill, on top of what is there
            // the newest snapshots-kept versions of the history Postgres keeps
            long start = Math.max(
                    repository
                            .earliestVersion(table.id())
                            .orElseThrow(() -> new IllegalStateException(table.fullName() + " has no commits")),
                    target - snapshotsKept + 1);
            if (start > target) {
                return null;
            }
            JsonNode metaData = metaDataAt(table, start);
            schemas = current == null
                    ? DeltaMetaData.of(metaData, null, 0)
                    : DeltaMetaData.of(metaData, current.schema(), current.lastColumnId());
            if (current == null) {
                ops.commit(null, created(table, start, schemas));
            }
            DataFileEntries entries = entries(table, ops.current(), schemas);
            List<FileRow> live = new ArrayList<>();
            repository.liveAt(table.id(), start, live::add);
            DeltaCommit startCommit =
                    repository.commits(table.id(), start, start).get(0);
            summary(
                            VersionSnapshots.backfill(
                                    new BaseTable(ops, table.fullName()), entries, vectors(table), live),
                            startCommit,
                            ops.current().defaultSpecId())
                    .commit();
            next = start + 1;
        } else {
            next = deltaVersion(current) + 1;
            schemas = DeltaMetaData.of(metaDataAt(table, next - 1), current.schema(), current.lastColumnId());
        }
        while (next <= target) {
            // up to COMMITS_PER_READ versions in one Iceberg transaction: their snapshots, one
            // metadata file and one swap of the pointer (one version needs no transaction)
            long to = Math.min(target, next + COMMITS_PER_READ - 1);
            Transaction pass = to > next ? new BaseTable(ops, table.fullName()).newTransaction() : null;
            Table into = pass != null ? pass.table() : new BaseTable(ops, table.fullName());
            SpecHistory specs = new SpecHistory(() -> repository.specHistory(table.id()), at -> metaDataAt(table, at));
            for (DeltaCommit commit : repository.commits(table.id(), next, to)) {
                schemas = apply(table, into, specs, schemas, commit);
                versions.increment();
            }
            if (pass != null) {
                pass.commitTransaction();
            }
            next = to + 1;
        }
        PrunedHistory.expire(table, ops, repository, io, snapshotsKept);
        return ops.current();
    }

    /** The table's Iceberg metadata before its first snapshot: schema, spec and properties of {@code start}. */
    private TableMetadata created(TableRow table, long start, DeltaMetaData schemas) {
        int format = repository
                        .protocolAt(table.id(), start)
                        .map(JSON::readTree)
                        .map(DeletionVectors::inProtocol)
                        .orElse(false)
                ? VECTORS_FORMAT_VERSION
                : FORMAT_VERSION;
        return TableMetadata.buildFromEmpty(format)
                .assignUUID(table.id().toString())
                .setLocation(table.location())
                .setCurrentSchema(
                        schemas.converted().schema(), schemas.converted().lastColumnId())
                .setDefaultPartitionSpec(schemas.spec())
                .setDefaultSortOrder(SortOrder.unsorted())
                .setProperties(schemas.properties(null))
                .setProperties(Map.of(
                        TableProperties.WRITE_METADATA_LOCATION,
                        table.location() + "/" + TableLocations.ICEBERG_FOLDER + "/metadata",
                        TableProperties.WRITE_DATA_LOCATION,
                        table.location() + "/" + TableLocations.ICEBERG_FOLDER + "/data"))
                .build();
    }

    /**
     * Applies one Delta version to {@code pass} (a transaction's table): its metadata changes, then its
     * snapshot; {@code specs} learns the spec it added files under.
     */
    private DeltaMetaData apply(
            TableRow table, Table pass, SpecHistory specs, DeltaMetaData schemas, DeltaCommit commit) {
        TableOperations ops = ((HasTableOperations) pass).operations();
        List<JsonNode> adds = new ArrayList<>();
        boolean dataChange = false;
        for (JsonNode action : JSON.readTree(commit.actions())) {
            if (action.has("add")) {
                adds.add(action.get("add"));
                dataChange |= action.get("add").path("dataChange").asBoolean(true);
            } else if (action.has("remove")) {
                dataChange |= action.get("remove").path("dataChange").asBoolean(true);
            } else if (action.has("protocol")
                    && DeletionVectors.inProtocol(action.get("protocol"))
                    && ops.current().formatVersion() < VECTORS_FORMAT_VERSION) {
                // deletion vectors are Iceberg v3's
                TableMetadata base = ops.current();
                ops.commit(
                        base,
                        TableMetadata.buildFrom(base)
                                .upgradeFormatVersion(VECTORS_FORMAT_VERSION)
                                .build());
            } else if (action.has("metaData")) {
                TableMetadata base = ops.current();
                schemas = DeltaMetaData.of(action.get("metaData"), base.schema(), base.lastColumnId());
                PartitionSpecs.requireFieldNamesFree(base, schemas.converted().schema());
                TableMetadata.Builder changed = TableMetadata.buildFrom(base)
                        .setCurrentSchema(
                                schemas.converted().schema(),
                                schemas.converted().lastColumnId())
                        .setProperties(schemas.properties(base));
                PartitionSpec evolved = PartitionSpecs.evolve(base, schemas.spec());
                if (evolved != null) {
                    changed.setDefaultPartitionSpec(evolved);
                }
                TableMetadata updated = changed.build();
                if (updated != base) {
                    ops.commit(base, updated);
                }
            }
        }
        TableMetadata metadata = ops.current();
        DataFileEntries entries = entries(table, metadata, schemas);
        List<FileRow> removed = repository.removedAt(table.id(), commit.version());
        summary(
                        VersionSnapshots.of(
                                pass,
                                entries,
                                removed.isEmpty() ? row -> entries : specs.removedUnder(metadata, entries),
                                vectors(table),
                                new VersionSnapshots.VersionFiles(commit.version(), adds, removed, dataChange)),
                        commit,
                        metadata.defaultSpecId())
                .commit();
        specs.addedUnder(commit.version(), metadata.defaultSpecId());
        return schemas;
    }

    private DeletionVectorBlobs vectors(TableRow table) {
        return new DeletionVectorBlobs(table.location(), storages.forLocation(table.location()));
    }

    /** Iceberg's manifest work on this thread, and the Delta version and its commit time in the summary. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SnapshotUpdate<?> summary(SnapshotUpdate update, DeltaCommit commit, int specId) {
        update.scanManifestsWith(SameThread.EXECUTOR);
        update.writeManifestsWith(SameThread.EXECUTOR, 1);
        update.set(DELTA_VERSION, Long.toString(commit.version()));
        update.set(DELTA_COMMITTED_AT, Long.toString(commit.committedAt().toEpochMilli()));
        update.set(PARTITION_SPEC_ID, Integer.toString(specId));
        return update;
    }

    /** When Delta version {@code version} of the table was committed, if Postgres still has it. */
    java.util.Optional<java.time.Instant> committedAt(TableRow table, long version) {
        return repository.commits(table.id(), version, version).stream()
                .map(DeltaCommit::committedAt)
                .findFirst();
    }

    /** The Delta version the metadata's current snapshot reflects. */
    static long deltaVersion(TableMetadata metadata) {
        if (metadata.currentSnapshot() == null) {
            throw new IllegalStateException("Iceberg metadata without a snapshot: " + metadata.metadataFileLocation());
        }
        return Long.parseLong(metadata.currentSnapshot().summary().get(DELTA_VERSION));
    }

    private JsonNode metaDataAt(TableRow table, long version) {
        return JSON.readTree(repository
                .metadataAt(table.id(), version)
                .orElseThrow(() -> new IllegalStateException(table.fullName() + " has no metaData at " + version)));
    }

    private DataFileEntries entries(TableRow table, TableMetadata metadata, DeltaMetaData schemas) {
        java.util.Set<String> columnNames = new java.util.HashSet<>();
        schemas.converted().nameMapping().asMappedFields().fields().forEach(f -> columnNames.addAll(f.names()));
        return new DataFileEntries(
                table.location(),
                storages.forLocation(table.location()),
                metadata.spec(),
                metadata.schema(),
                schemas.partitionKeys(),
                schemas.converted().statsKeys(),
                io,
                footers,
                columnNames);
    }
}
