package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent.Ratify;
import io.deltaplane.metadata.commit.CommitWriter.Written;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * {@link CommitPipeline}'s rules for a staged commit's version, which UC's protocol fixes: version
 * {@code v} is ratified only after {@code v-1}, and at most once; the same file offered again is a
 * retry answered as landed (the engine's answer was lost), another file is a 409, and a version
 * past the next one is a 400 (Kernel and delta-spark do not retry it). Before a writer hears it
 * lost, the winners are published: Kernel resolves a conflict from the published files alone.
 * Writes nothing itself.
 */
@Component
class StagedRatifications {

    private final TableRepository tables;
    private final TransactionParts transactionParts;

    StagedRatifications(TableRepository tables, TransactionParts transactionParts) {
        this.tables = requireNonNull(tables, "tables");
        this.transactionParts = requireNonNull(transactionParts, "transactionParts");
    }

    /**
     * For a version the table already has: the retry's answer when the same file made it, else the
     * 409 (after the winner is published).
     */
    Committed alreadyTaken(Ratify intent) {
        TableRow table = intent.table();
        if (!staged().ratifiedFrom(table, intent.version(), intent.fileName())) {
            throw conflict(intent);
        }
        return landedBefore(table.id(), intent.version());
    }

    /** 400 unless the staged commit is the table's next version (a version already taken is {@link #alreadyTaken}). */
    static void requireNext(Ratify intent) {
        long latest = intent.table().currentVersion();
        if (intent.version() > latest + 1) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "commit version " + intent.version() + " is not the next version: the latest is " + latest);
        }
    }

    /**
     * A ratification that failed while writing: a concurrent retry of the same file got there first
     * (answered as landed), another writer took the version (409), or the refusal itself.
     */
    Committed lostRace(Ratify intent, RuntimeException failure) {
        if (staged().ratifiedFrom(intent.table(), intent.version(), intent.fileName())) {
            return landedBefore(intent.table().id(), intent.version());
        }
        if (failure instanceof DuplicateKeyException
                || (failure instanceof ApiException api && api.is(ErrorCode.VERSION_CONFLICT))) {
            throw conflict(intent);
        }
        throw failure;
    }

    /** What a ratification that wrote {@code written} from {@code staged} answers, once it is published. */
    Committed ratified(Written written, StagedCommits.Staged staged) {
        OptionalLong published = publication().publishCommitted(written.tableId(), written.version());
        return new Committed(
                List.of(written), Optional.empty(), Optional.of(new Committed.Ratification(staged, published)));
    }

    /** The versions a transaction that landed before made, published before they are answered again. */
    Committed transactionLandedBefore(List<TableRow> landed) {
        List<Written> versions = new ArrayList<>();
        for (TableRow table : landed) {
            transactionParts.publication().ifAvailable(p -> p.publishThrough(table.id(), table.currentVersion()));
            versions.add(new Written(table.id(), table.fullName(), table.currentVersion(), table.lastCommittedAt()));
        }
        return new Committed(versions, Optional.empty());
    }

    /** The staged commits' reader and recorder (400 where staged commits are not enabled). */
    StagedCommits staged() {
        return transactionParts.staged();
    }

    /** The one writer of {@code <version>.json}, which a staged commit is published through before its answer. */
    DeltaLogPublication publication() {
        return transactionParts.publication().getObject();
    }

    private Committed landedBefore(UUID tableId, long version) {
        OptionalLong published = publication().publishThrough(tableId, version);
        return new Committed(List.of(), Optional.empty(), Optional.of(new Committed.Ratification(null, published)));
    }

    /** The 409 for a version another file took, once the table is published through its latest version. */
    private ApiException conflict(Ratify intent) {
        TableRow now = tables.findById(intent.table().id()).orElse(intent.table());
        publication().publishThrough(now.id(), now.currentVersion());
        return MetadataErrors.versionConflict(now.fullName(), intent.version() - 1, now.currentVersion());
    }
}
