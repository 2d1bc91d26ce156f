package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent.Adopted;
import io.deltaplane.metadata.commit.CommitIntent.Append;
import io.deltaplane.metadata.commit.CommitIntent.AtVersion;
import io.deltaplane.metadata.commit.CommitIntent.Authorship;
import io.deltaplane.metadata.commit.CommitIntent.Create;
import io.deltaplane.metadata.commit.CommitIntent.Next;
import io.deltaplane.metadata.commit.CommitIntent.Ratify;
import io.deltaplane.metadata.commit.CommitIntent.Transaction;
import io.deltaplane.metadata.commit.CommitWriter.PreparedCommit;
import io.deltaplane.metadata.commit.CommitWriter.Version;
import io.deltaplane.metadata.commit.CommitWriter.Written;
import io.deltaplane.metadata.commit.TableStateReads.TableHead;
import io.deltaplane.metadata.commit.TransactionParts.Part;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.LocationClaims;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The one orchestrator of table versions: every {@link CommitIntent} comes here, and this is the one
 * caller of {@link CommitWriter}. For each intent it authorizes what a request asks (MODIFY on
 * every table it names; the platform's own intents carry no caller), decides the version once
 * ({@link #requireAt}, and the row lock for a server-ordered append), groups plain commits and
 * ordered appends with other requests' ({@link GroupCommit}), writes through the writer in one
 * Postgres transaction, and publishes before answering where the intent requires (a transaction's
 * staged parts). Idempotency-Key replay of the door's POSTs is the platform's {@code
 * IdempotencyFilter}.
 */
@Service
public class CommitPipeline {

    private final TransactionTemplate tx;
    private final TableRepository tables;
    private final TableStateReads reads;
    private final TableStateCache stateCache;
    private final FieldIdCheck fieldIds;
    private final CommitWriter writer;
    private final ServerOrderedAppends orderedAppends;
    private final TransactionParts transactionParts;
    private final StagedRatifications ratifications;
    private final LocationClaims claims;
    private final AccessControl access;
    private final CommitMetrics metrics;
    private final Clock clock;
    /** Null when every commit takes a transaction of its own (group size 1). */
    private final GroupCommit<Written> group;

    CommitPipeline(
            TransactionTemplate tx,
            TableRepository tables,
            TableStateReads reads,
            TableStateCache stateCache,
            FieldIdCheck fieldIds,
            CommitWriter writer,
            ServerOrderedAppends orderedAppends,
            TransactionParts transactionParts,
            StagedRatifications ratifications,
            LocationClaims claims,
            AccessControl access,
            CommitMetrics metrics,
            CommitProperties properties,
            Clock clock) {
        this.tx = requireNonNull(tx, "tx");
        this.tables = requireNonNull(tables, "tables");
        this.reads = requireNonNull(reads, "reads");
        this.stateCache = requireNonNull(stateCache, "stateCache");
        this.fieldIds = requireNonNull(fieldIds, "fieldIds");
        this.writer = requireNonNull(writer, "writer");
        this.orderedAppends = requireNonNull(orderedAppends, "orderedAppends");
        this.transactionParts = requireNonNull(transactionParts, "transactionParts");
        this.ratifications = requireNonNull(ratifications, "ratifications");
        this.claims = requireNonNull(claims, "claims");
        this.access = requireNonNull(access, "access");
        this.metrics = requireNonNull(metrics, "metrics");
        this.clock = requireNonNull(clock, "clock");
        this.group = properties.groupSize() == 1
                ? null
                : new GroupCommit<>(tx, properties.groupSize(), properties.groupsInFlight(), metrics::group);
    }

    /**
     * Makes what {@code intent} asks, or throws (nothing written): 403 when the caller may not, 404
     * TABLE_NOT_FOUND, 409 VERSION_CONFLICT, 400 INVALID_ACTION / VALIDATION_FAILED, 409
     * ALREADY_EXISTS or 422 LOCATION_NOT_ALLOWED for a create. Inside a caller's transaction, the
     * versions join it.
     */
    public Committed commit(CommitIntent intent) {
        // Java 17: an instanceof chain over the sealed type (a switch with patterns needs 21)
        if (intent instanceof AtVersion atVersion) {
            return metrics.timed(() -> Committed.of(atVersion(atVersion)));
        } else if (intent instanceof Append append) {
            return metrics.timed(() -> Committed.of(append(append)));
        } else if (intent instanceof Transaction transaction) {
            return metrics.timed(() -> transaction(transaction));
        } else if (intent instanceof Create create) {
            return create(create);
        } else if (intent instanceof Next next) {
            return Committed.of(next(next));
        } else if (intent instanceof Ratify ratify) {
            return ratify(ratify);
        } else if (intent instanceof Adopted adopted) {
            return Committed.of(tx.execute(status -> {
                writer.adoptingFromTheLog();
                return atStoredState(
                        adopted.table(),
                        adopted.expectedVersion(),
                        adopted.actions(),
                        adopted.operation(),
                        millis(adopted.committedAt()),
                        false); // already in the engine's log: taken as it is
            }));
        }
        throw new IllegalArgumentException("not a commit intent: " + intent);
    }

    /**
     * The version is {@code expected + 1}: the one place a commit's expected version is checked
     * against the table's before it is written (the compare-and-swap then holds the table to it).
     */
    static void requireAt(String fullName, long expected, long current) {
        if (current != expected) {
            throw MetadataErrors.versionConflict(fullName, expected, current);
        }
    }

    /**
     * A plain commit of a table whose state is cached is written without reading the table first,
     * in a group with the plain commits of other requests; when that finds the cached state stale
     * (or its group rolled back), it is written again, alone, against the stored state.
     */
    private Written atVersion(AtVersion intent) {
        access.require(intent.table().securable(), Privilege.MODIFY);
        long expected = CommitInputs.expectedVersion(intent.expectedVersion());
        // a cached table's files are checked before the transaction; an uncached one's once its head is read
        TableState cached = stateCache.get(intent.table().toString());
        if (cached != null) {
            fieldIds.check(cached, intent.actions());
        }
        Instant now = now();
        Optional<PreparedCommit> plain = writer.prepareOnCachedState(
                intent.table().toString(), expected, intent.actions(), intent.operation(), now);
        Optional<Written> fast = plain.flatMap(this::writePlain);
        plain.ifPresent(p -> metrics.fastPath(fast.isPresent()));
        return fast.orElseGet(() -> tx.execute(status ->
                atStoredState(intent.table(), expected, intent.actions(), intent.operation(), now, cached == null)));
    }

    private Optional<Written> writePlain(PreparedCommit commit) {
        if (group == null) {
            return tx.execute(status -> writer.write(commit));
        }
        return group.write(commit.tableId(), () -> writer.write(commit));
    }

    /** Version {@code expected + 1} of the table by name, validated against its stored state. */
    private Written atStoredState(
            TableName name, long expected, List<JsonNode> actions, String op, Instant at, boolean checkFieldIds) {
        String fullName = name.toString();
        TableHead head = reads.requireHead(name.catalog(), name.schema(), name.name());
        requireAt(fullName, expected, head.currentVersion());
        if (checkFieldIds) {
            fieldIds.check(head, actions); // before the CAS, holding no lock
        }
        CommitActions parsed = ActionParser.parse(actions, head.state());
        Written written =
                writer.write(new Version(head.state(), fullName, expected, head.liveFiles(), parsed, op, at, null));
        stateCache.rememberAfter(fullName, head, parsed);
        return written;
    }

    /**
     * An append the platform places at the next version. Racing appends to one table queue on its
     * row lock; in a group they share one transaction (one COMMIT, one WAL flush for k versions),
     * each placed after the one before it. A member that is refused (not an append, or a conflict
     * since its read version) is refused before it writes anything, so the transaction stays
     * usable: the others of its group land, and it is answered alone. A member that fails while
     * writing rolls its group back, and each member then appends on its own.
     */
    private Written append(Append intent) {
        access.require(intent.table().securable(), Privilege.MODIFY);
        if (intent.actions() == null || intent.actions().isEmpty()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "expected_version is required, except for an append: actions adding files, placed at the"
                            + " table's next version");
        }
        Instant now = now();
        TableName name = intent.table();
        // alone, or again after its group rolled back (an id-mode table's files are then checked again)
        Supplier<Written> alone = () -> tx.execute(status -> {
            TableHead head = head(name);
            fieldIds.check(head, intent.actions()); // before the row lock
            return writer.write(placeAfter(head, intent, now));
        });
        if (group == null) {
            return alone.get();
        }
        TableHead head = head(name);
        fieldIds.check(head, intent.actions());
        // the group's writer may be another request's thread: it writes as this request
        CarriedRequest request = CarriedRequest.current();
        return group.write(
                        head.state().tableId(),
                        () -> request.runAs(() -> {
                            Version placed;
                            try {
                                placed = placeAfter(head, intent, now);
                            } catch (ApiException refused) {
                                // only a lock and reads so far: nothing to undo, the group goes on
                                return Optional.<Written>empty();
                            }
                            return Optional.of(writer.write(placed));
                        }))
                .orElseGet(alone);
    }

    private TableHead head(TableName name) {
        return reads.requireHead(name.catalog(), name.schema(), name.name());
    }

    /**
     * The append placed after the table's version under its row lock; 400/409 when it is refused.
     * {@code unlocked} is the table as read before; when it moved since (another append of the same
     * group, or of another request), it is read again under the lock.
     */
    private Version placeAfter(TableHead unlocked, Append intent, Instant now) {
        String fullName = intent.table().toString();
        long current = writer.lock(unlocked.state().tableId(), fullName);
        TableHead head = current == unlocked.currentVersion() ? unlocked : head(intent.table());
        return orderedAppends.place(
                head, current, fullName, intent.readVersion(), intent.actions(), intent.operation(), now);
    }

    /** Commits waiting for the group being written (for tests that build a group on purpose). */
    int queuedCommits() {
        return group == null ? 0 : group.queued();
    }

    /** Every table of the transaction advances, or none does; staged parts are published before the answer. */
    private Committed transaction(Transaction intent) {
        transactionParts.names(intent).forEach(name -> access.require(name.securable(), Privilege.MODIFY));
        TransactionParts.Read read = transactionParts.read(intent); // each checked at its expected version
        if (!read.landed().isEmpty()) {
            return ratifications.transactionLandedBefore(
                    read.landed()); // sent again after it landed: answered as it was
        }
        List<Part> parts = read.parts();
        parts.forEach(part -> fieldIds.check(CommitInputs.state(part.table()), part.actions()));
        List<Written> versions = tx.execute(status -> {
            // every lock before the first CAS, in the parts' fixed order (no deadlock between transactions)
            for (Part part : parts) {
                requireAt(
                        part.table().fullName(),
                        part.expected(),
                        writer.lock(part.table().id(), part.table().fullName()));
            }
            Instant now = now();
            List<Written> written = new ArrayList<>();
            for (Part part : parts) {
                // a staged commit keeps the in-commit timestamp its engine wrote into it
                Instant at = part.staged() == null
                        ? now
                        : Instant.ofEpochMilli(part.staged().inCommitTimestamp());
                Written version = writer.write(new Version(
                        CommitInputs.state(part.table()),
                        part.table().fullName(),
                        part.expected(),
                        liveFiles(part.table(), part.actions()),
                        part.actions(),
                        part.operation(),
                        at,
                        null));
                if (part.staged() != null) {
                    transactionParts
                            .staged()
                            .record(
                                    part.table(),
                                    version.version(),
                                    part.staged(),
                                    part.staged().inCommitTimestamp());
                }
                written.add(version);
            }
            return written;
        });
        transactionParts.publishStaged(parts); // before the answer
        return new Committed(versions, Optional.empty());
    }

    /** Version 0 of a new table, with its location claimed in the same transaction. */
    private Committed create(Create intent) {
        TableRow row = NewTables.row(intent);
        CommitActions parsed = ActionParser.parse(intent.actions(), new TableState(row.id(), row.location(), List.of()))
                .writtenByAnEngine(); // an engine's version 0 (finalized, imported) is published as written
        Written written = tx.execute(status -> {
            claims.claimTable(row.location(), row.fullName());
            return writer.create(row, parsed, intent.operation(), millis(intent.committedAt()));
        });
        return new Committed(
                List.of(written), Optional.of(tables.findById(row.id()).orElseThrow()));
    }

    /** The next version of a table whose row the caller read (not read again: the CAS holds it). */
    private Written next(Next intent) {
        TableRow table = intent.table();
        requireAt(table.fullName(), intent.expectedVersion(), table.currentVersion());
        TableState before = CommitInputs.state(table);
        CommitActions parsed = ActionParser.parse(intent.actions(), before);
        CommitActions checked = intent.authorship() == Authorship.ENGINE ? parsed.writtenByAnEngine() : parsed;
        Version version = new Version(
                before,
                table.fullName(),
                intent.expectedVersion(),
                liveFiles(table, checked),
                checked,
                intent.operation(),
                millis(intent.committedAt()),
                intent.currentProtocol());
        return tx.execute(status -> writer.write(version));
    }

    /**
     * An engine's staged commit as the table's next version ({@link StagedRatifications} decides
     * whether it is, or a retry, or refused): the file read once, written as the engine wrote it,
     * recorded with the bytes read in the same transaction, and published before the answer, so a
     * writer that loses a race finds the winner published (Kernel rebases only onto published files).
     */
    private Committed ratify(Ratify intent) {
        TableRow table = intent.table();
        access.require(Securable.table(table.catalog(), table.schema(), table.name()), Privilege.MODIFY);
        if (intent.version() <= table.currentVersion()) {
            return ratifications.alreadyTaken(intent);
        }
        StagedRatifications.requireNext(intent);
        StagedCommits.Staged staged = intent.stagedFile().get();
        Next next = new Next(
                table,
                intent.version() - 1,
                staged.actions(),
                Instant.ofEpochMilli(staged.inCommitTimestamp()),
                null,
                Authorship.ENGINE,
                intent.currentProtocol());
        Written written;
        try {
            // published below, before the answer: no background worker is woken to race for it
            written = ratifications
                    .publication()
                    .publishedByTheCaller(() -> tx.execute(status -> {
                        Written version = next(next);
                        ratifications
                                .staged()
                                .record(table, version.version(), staged, intent.fileModificationTimestamp());
                        return version;
                    }));
        } catch (ApiException | DuplicateKeyException e) {
            return ratifications.lostRace(intent, e);
        }
        return ratifications.ratified(written, staged);
    }

    /** Files live at the table's version, read only when a metaData action's rules need the count. */
    private long liveFiles(TableRow table, CommitActions actions) {
        return actions.metadata() == null ? 0 : reads.liveFiles(table.id(), table.currentVersion());
    }

    private Instant now() {
        return millis(clock.instant());
    }

    private static Instant millis(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }
}
