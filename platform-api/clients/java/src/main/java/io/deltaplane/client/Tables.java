package io.deltaplane.client;

import io.deltaplane.client.generated.metadata.api.TablesApi;
import io.deltaplane.client.generated.metadata.model.CommitRequest;
import io.deltaplane.client.generated.metadata.model.CommitResponse;
import io.deltaplane.client.generated.metadata.model.HistoryResponse;
import io.deltaplane.client.generated.metadata.model.OptimizeRequest;
import io.deltaplane.client.generated.metadata.model.OptimizeResult;
import io.deltaplane.client.generated.metadata.model.PublishStatus;
import io.deltaplane.client.generated.metadata.model.SnapshotResponse;
import io.deltaplane.client.generated.metadata.model.TableHealth;
import io.deltaplane.client.generated.metadata.model.TableList;
import io.deltaplane.client.generated.metadata.model.TableResponse;
import io.deltaplane.client.generated.metadata.model.VacuumRequest;
import io.deltaplane.client.generated.metadata.model.VacuumResult;
import io.deltaplane.client.internal.Json;
import io.deltaplane.client.model.CommitResult;
import io.deltaplane.client.model.Snapshot;
import io.deltaplane.client.model.Table;
import io.deltaplane.client.model.TableSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Delta tables: {@code list/get/create/delete}, {@code commit}, {@code snapshot}, {@code optimize} and {@code vacuum}, most also
 * {@code …Async}. Names may be short ({@code orders}) or partial ({@code sales.orders}) and resolve
 * against the session's catalog and schema.
 */
public final class Tables {
    private final Deltaplane client;
    private final Calls calls;
    private final TablesApi api;

    Tables(Deltaplane client, GeneratedApis generated, Calls calls) {
        this.client = client;
        this.calls = calls;
        this.api = new TablesApi(generated.metadata());
    }

    /** The tables of the current schema. */
    public List<Table> list() {
        return list(client.requireCatalog("tables"), client.requireSchema("tables"));
    }

    public List<Table> list(String catalog, String schema) {
        return Paging.all(
                        calls,
                        (token, h) -> api.getTables(catalog, schema, Paging.PAGE_SIZE, token, h),
                        TableList::getTables,
                        TableList::getNextPageToken)
                .stream()
                .map(Tables::table)
                .toList();
    }

    public Table get(String name) {
        String fullName = client.resolveTable(name);
        return table(calls.idempotent(h -> api.getTablesByFullName(fullName, h)));
    }

    /** Creates the table at version 0. @throws ConflictException when it already exists */
    public Table create(TableSpec spec) {
        String[] full = client.resolveTable(spec.name()).split("\\.");
        var body = spec.toRequest(full[0], full[1], full[2]);
        return table(calls.create(h -> api.postTables(body, h)));
    }

    /** Removes the table from the catalog; its files stay unless {@code purge} (admin scope). */
    public void delete(String name, boolean purge) {
        String fullName = client.resolveTable(name);
        calls.idempotent(h -> {
            api.deleteTablesByFullName(fullName, purge ? Boolean.TRUE : null, h);
            return null;
        });
    }

    public void delete(String name) {
        delete(name, false);
    }

    /**
     * Commits Delta actions ({@link io.deltaplane.client.model.DeltaActions}) as version {@code
     * expectedVersion + 1}.
     *
     * @throws ConflictException with {@link ConflictException#currentVersion()} when another writer
     *     committed first
     */
    public CommitResult commit(
            String name, long expectedVersion, List<? extends Map<String, ?>> actions, String operation) {
        String fullName = client.resolveTable(name);
        CommitRequest body = new CommitRequest()
                .expectedVersion(expectedVersion)
                .actions(new ArrayList<>(actions))
                .operation(operation);
        CommitResponse committed = calls.create(h -> api.postTablesByFullNameCommits(fullName, body, h));
        return new CommitResult(orZero(committed.getVersion()), Json.instant(committed.getCommittedAt()));
    }

    public CommitResult commit(String name, long expectedVersion, List<? extends Map<String, ?>> actions) {
        return commit(name, expectedVersion, actions, null);
    }

    /**
     * Appends files ({@code add} actions, with {@code txn} and {@code domainMetadata}) at the
     * table's next version, which the platform picks: other writers' appends never conflict with
     * it, however many race.
     *
     * @param readVersion the version the files were written against, or null: a later version
     *     that changed the table's metaData or protocol, or recorded a txn of one of these actions'
     *     applications, is then a {@link ConflictException}
     * @throws InvalidRequestException when an action is not an append (a remove, metaData or
     *     protocol commits with {@link #commit} and a version)
     */
    public CommitResult append(String name, Long readVersion, List<? extends Map<String, ?>> actions) {
        String fullName = client.resolveTable(name);
        CommitRequest body = new CommitRequest().readVersion(readVersion).actions(new ArrayList<>(actions));
        CommitResponse committed = calls.create(h -> api.postTablesByFullNameCommits(fullName, body, h));
        return new CommitResult(orZero(committed.getVersion()), Json.instant(committed.getCommittedAt()));
    }

    /**
     * OPTIMIZE: the platform compacts the table's small files into files of the target size, as one
     * version that changes no data. Retried with one idempotency key; a compacted table has nothing to do.
     *
     * @param where partition values to compact ({@code day -> 2026-11-01}); null for every partition
     * @param targetFileSizeBytes bytes per written file; null for the table's {@code
     *     delta.targetFileSize}, else the platform's (1 GiB)
     * @return what it did; {@code getVersion()} is null when nothing was small
     * @throws ConflictException (CONCURRENT_MODIFICATION) when concurrent commits kept removing the
     *     files it compacts
     */
    public OptimizeResult optimize(String name, Map<String, String> where, Long targetFileSizeBytes) {
        String fullName = client.resolveTable(name);
        OptimizeRequest body = new OptimizeRequest().where(where).targetFileSizeBytes(targetFileSizeBytes);
        return calls.create(h -> api.postTablesByFullNameOptimize(fullName, body, h));
    }

    /** OPTIMIZE of every partition to the table's target file size. */
    public OptimizeResult optimize(String name) {
        return optimize(name, null, null);
    }

    /**
     * VACUUM: deletes the files under the table's location that no version within the retention
     * needs (files removed before it, and files no version referenced last modified before it).
     *
     * @param dryRun list them, delete nothing
     * @param retentionHours null for the table's {@code delta.deletedFileRetentionDuration} (a week);
     *     under the platform's minimum (168 hours) only with {@code allowShortRetention} as a
     *     metastore admin
     * @return what it deleted (or would): counts, bytes and the first 1000 paths
     */
    public VacuumResult vacuum(String name, boolean dryRun, Double retentionHours, boolean allowShortRetention) {
        String fullName = client.resolveTable(name);
        VacuumRequest body = new VacuumRequest()
                .dryRun(dryRun)
                .retentionHours(retentionHours)
                .allowShortRetention(allowShortRetention ? Boolean.TRUE : null);
        return calls.create(h -> api.postTablesByFullNameVacuum(fullName, body, h));
    }

    /** The latest snapshot. */
    public Snapshot snapshot(String name) {
        return snapshot(name, null, null);
    }

    /** Time travel by version. */
    public Snapshot snapshot(String name, long version) {
        return snapshot(name, version, null);
    }

    /** Time travel by timestamp: the last version committed at or before it. */
    public Snapshot snapshotAt(String name, Instant timestamp) {
        return snapshot(name, null, timestamp.toString());
    }

    private Snapshot snapshot(String name, Long version, String timestamp) {
        String fullName = client.resolveTable(name);
        SnapshotResponse s = calls.idempotent(h -> api.getTablesByFullNameSnapshot(fullName, version, timestamp, h));
        return new Snapshot(
                orZero(s.getVersion()),
                Json.instant(s.getTimestamp()),
                Json.tree(s.getProtocol()),
                Json.tree(s.getMetadata()),
                orZero(s.getNumFiles()),
                orZero(s.getSizeBytes()),
                Json.tree(s.getAppVersions()));
    }

    /**
     * Whether the table is fresh: FRESH, LATE or UNKNOWN, the expectation it was judged by (its
     * {@code deltaplane.freshness.sla}, the nearest of table, schema and catalog, or one learned from
     * its commit history) and its daily volume, as the generated model.
     */
    public TableHealth health(String name) {
        String fullName = client.resolveTable(name);
        return calls.idempotent(h -> api.getTablesByFullNameHealth(fullName, h));
    }

    /**
     * Commits newest first, as the generated model ({@code version, timestamp, operation}, and {@code
     * commit_info}, the commitInfo action, as a map).
     */
    public HistoryResponse history(String name) {
        String fullName = client.resolveTable(name);
        return calls.idempotent(h -> api.getTablesByFullNameHistory(fullName, null, null, h));
    }

    public CompletableFuture<Table> getAsync(String name) {
        return client.async(() -> get(name));
    }

    public CompletableFuture<List<Table>> listAsync(String catalog, String schema) {
        return client.async(() -> list(catalog, schema));
    }

    public CompletableFuture<Table> createAsync(TableSpec spec) {
        return client.async(() -> create(spec));
    }

    public CompletableFuture<Void> deleteAsync(String name, boolean purge) {
        return client.async(() -> {
            delete(name, purge);
            return null;
        });
    }

    public CompletableFuture<CommitResult> commitAsync(
            String name, long expectedVersion, List<? extends Map<String, ?>> actions) {
        return client.async(() -> commit(name, expectedVersion, actions));
    }

    public CompletableFuture<Snapshot> snapshotAsync(String name) {
        return client.async(() -> snapshot(name));
    }

    private static Table table(TableResponse t) {
        PublishStatus publish = t.getPublish();
        return new Table(
                t.getTableId() == null ? null : t.getTableId().toString(),
                t.getFullName(),
                t.getLocation(),
                orZero(t.getVersion()),
                Json.tree(t.getSchema()),
                t.getPartitionColumns() == null ? List.of() : List.copyOf(t.getPartitionColumns()),
                t.getProperties() == null ? Map.of() : Map.copyOf(t.getProperties()),
                Json.instant(t.getCreatedAt()),
                publish == null ? null : new Table.Publish(publish.getPublishedVersion(), publish.getLagVersions()));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
