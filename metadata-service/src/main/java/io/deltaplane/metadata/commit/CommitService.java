package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitWriter.PreparedCommit;
import io.deltaplane.metadata.commit.CommitWriter.Written;
import io.deltaplane.metadata.commit.TableStateReads.TableHead;
import io.deltaplane.metadata.commit.TransactionRequest.TableCommit;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.request.RequestIds;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Commits: validation, optimistic concurrency and multi-table atomicity. (Idempotency-Key replay of
 * these POSTs is the platform's {@code IdempotencyFilter}: a retry after a lost response gets the
 * first response.)
 * A commit is written in one Postgres transaction, which concurrent plain commits of other requests
 * may share ({@link GroupCommit}); the version row's primary key and the compare-and-swap on {@code
 * tables.current_version} decide which of racing writers wins.
 */
@Service
public class CommitService {

    private final TransactionTemplate tx;
    private final TableRepository tables;
    private final CommitWriter writer;
    private final ServerOrderedAppends orderedAppends;
    private final CommitMetrics metrics;
    private final Clock clock;
    /** Null when every commit takes a transaction of its own (group size 1). */
    private final GroupCommit<Written> group;

    private final ObjectProvider<StagedCommits> staged;
    private final ObjectProvider<DeltaLogPublication> publication;

    public CommitService(
            TransactionTemplate tx,
            TableRepository tables,
            CommitWriter writer,
            ServerOrderedAppends orderedAppends,
            CommitMetrics metrics,
            CommitProperties properties,
            ObjectProvider<StagedCommits> staged,
            ObjectProvider<DeltaLogPublication> publication,
            Clock clock) {
        this.tx = requireNonNull(tx, "tx");
        this.tables = requireNonNull(tables, "tables");
        this.writer = requireNonNull(writer, "writer");
        this.orderedAppends = requireNonNull(orderedAppends, "orderedAppends");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
        this.staged = requireNonNull(staged, "staged");
        this.publication = requireNonNull(publication, "publication");
        this.group = properties.groupSize() == 1
                ? null
                : new GroupCommit<>(tx, properties.groupSize(), properties.groupsInFlight(), metrics::group);
    }

    /**
     * Commits version {@code expected_version + 1} of one table. A plain commit of a table whose
     * state is cached is written without reading the table first, in a group with the plain commits
     * of other requests; when that finds the cached state stale (or its group rolled back), it is
     * written again, alone, against the stored state.
     */
    public CommitResponse commit(String fullName, CommitRequest request) {
        String[] name = Names.split(fullName, 3, "table");
        if (request.expectedVersion() == null) {
            // an append the platform places at the next version (ServerOrderedAppends)
            if (request.actions() == null || request.actions().isEmpty()) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        "expected_version is required, except for an append: actions adding files, placed at the"
                                + " table's next version");
            }
            return timed(() -> {
                Written written = appendOrdered(name, request, now());
                return new CommitResponse(written.version(), written.committedAt());
            });
        }
        long expected = expectedVersion(request.expectedVersion());
        return timed(() -> {
            Instant now = now();
            Optional<PreparedCommit> plain = writer.prepareOnCachedState(
                    name[0], name[1], name[2], expected, request.actions(), request.operation(), now);
            Optional<Written> fast = plain.flatMap(this::writePlain);
            plain.ifPresent(p -> metrics.fastPath(fast.isPresent()));
            Written written = fast.orElseGet(() -> tx.execute(status -> writer.appendByName(
                    name[0], name[1], name[2], expected, request.actions(), request.operation(), now)));
            return new CommitResponse(written.version(), written.committedAt());
        });
    }

    /**
     * An append the platform places at the next version. Racing appends to one table queue on its
     * row lock; in a group they share one transaction (one COMMIT, one WAL flush for k versions),
     * each placed after the one before it. A member that is refused rolls its group back, and each
     * member then appends on its own.
     */
    private Written appendOrdered(String[] name, CommitRequest request, Instant now) {
        Supplier<Written> alone = () -> tx.execute(status -> orderedAppends.append(
                name[0], name[1], name[2], request.readVersion(), request.actions(), request.operation(), now));
        if (group == null) {
            return alone.get();
        }
        TableHead head = orderedAppends.head(name[0], name[1], name[2]);
        // the group's writer may be another request's thread: the outbox rows name this request
        String requestId = RequestIds.current();
        return group.write(head.state().tableId(), () -> {
                    String previous = RequestIds.current();
                    RequestIds.restore(requestId);
                    try {
                        return Optional.of(orderedAppends.append(
                                head,
                                name[0],
                                name[1],
                                name[2],
                                request.readVersion(),
                                request.actions(),
                                request.operation(),
                                now));
                    } finally {
                        RequestIds.restore(previous);
                    }
                })
                .orElseGet(alone);
    }

    private Optional<Written> writePlain(PreparedCommit commit) {
        if (group == null) {
            return tx.execute(status -> writer.write(commit));
        }
        return group.write(commit.tableId(), () -> writer.write(commit));
    }

    /** Commits to every table of the request atomically: all advance or none does. */
    public TransactionRequest.Response commitAll(TransactionRequest request) {
        if (request.commits() == null || request.commits().isEmpty()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "commits must not be empty");
        }
        record Part(
                TableRow table, long expected, CommitActions actions, String operation, StagedCommits.Staged staged) {}
        List<Part> parts = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (TableCommit commit : request.commits()) {
            TableRow table = tables.require(commit.table());
            if (!seen.add(table.id())) {
                throw MetadataErrors.invalidAction("table " + table.fullName() + " appears twice in one transaction");
            }
            long expected = expectedVersion(commit.expectedVersion());
            if (expected != table.currentVersion()) {
                // Also keeps validation honest: the actions are checked against the state at expected.
                throw MetadataErrors.versionConflict(table.fullName(), expected, table.currentVersion());
            }
            StagedCommits.Staged staged = null;
            List<JsonNode> actions = commit.actions();
            if (commit.stagedCommit() != null) {
                if (actions != null && !actions.isEmpty()) {
                    throw MetadataErrors.invalidAction(
                            "commit to " + table.fullName() + ": actions or staged_commit, not both");
                }
                staged = stagedCommits()
                        .read(table, expected + 1, commit.stagedCommit().fileName());
                actions = staged.actions();
            }
            CommitActions parsed = ActionParser.parse(actions, state(table));
            // a staged commit is published as the engine wrote it: nothing is filled in
            parts.add(new Part(
                    table, expected, staged == null ? parsed : parsed.writtenByAnEngine(), commit.operation(), staged));
        }
        // A fixed lock order (by id) so concurrent transactions over the same tables cannot deadlock.
        parts.sort(Comparator.comparing(p -> p.table().id().toString()));
        TransactionRequest.Response response = timed(() -> tx.execute(status -> {
            for (Part part : parts) {
                writer.lock(part.table(), part.expected());
            }
            Instant now = now();
            Map<String, Long> versions = new LinkedHashMap<>();
            for (Part part : parts) {
                // A staged commit keeps the in-commit timestamp its engine wrote into it.
                Instant at = part.staged() == null
                        ? now
                        : Instant.ofEpochMilli(part.staged().inCommitTimestamp());
                Written written = writer.append(part.table(), part.expected(), part.actions(), part.operation(), at);
                if (part.staged() != null) {
                    stagedCommits()
                            .record(
                                    part.table(),
                                    written.version(),
                                    part.staged(),
                                    part.staged().inCommitTimestamp());
                }
                versions.put(written.fullName(), written.version());
            }
            return new TransactionRequest.Response(versions);
        }));
        // Engines read a staged part only once it is published (as after a single staged commit).
        for (Part part : parts) {
            if (part.staged() != null) {
                publication.ifAvailable(p -> p.publishCommitted(part.table().id(), part.expected() + 1));
            }
        }
        return response;
    }

    private StagedCommits stagedCommits() {
        StagedCommits found = staged.getIfAvailable();
        if (found == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "staged commits are not enabled here");
        }
        return found;
    }

    private <T> T timed(Supplier<T> commit) {
        Timer.Sample sample = Timer.start();
        try {
            return commit.get();
        } catch (ApiException e) {
            if (ErrorCode.VERSION_CONFLICT.code().equals(e.errorCode())) {
                metrics.conflict();
            } else if (ErrorCode.INVALID_ACTION.code().equals(e.errorCode())) {
                metrics.rejected();
            }
            throw e;
        } finally {
            sample.stop(metrics.latency());
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static TableState state(TableRow table) {
        return new TableState(table.id(), table.location(), table.partitionColumns(), table.partitionKeys());
    }

    private static long expectedVersion(Long expected) {
        if (expected == null || expected < 0) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "expected_version is required and must not be negative");
        }
        return expected;
    }
}
