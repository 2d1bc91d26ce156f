package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent.Transaction;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Reads a multi-table transaction's parts for {@link CommitPipeline}, before its Postgres
 * transaction: each table's row, its version checked, a staged part's file read once, the actions
 * parsed against the table; in a fixed lock order (by table id), so concurrent transactions over
 * the same tables cannot deadlock. A transaction of staged commits sent again after it landed is
 * told apart, as a single staged commit is ({@code StagedCommitRatifier}): the same files, already
 * ratified. Writes nothing.
 */
@Component
class TransactionParts {

    /** One table's part, read: a staged part keeps the bytes it is recorded and published from. */
    record Part(TableRow table, long expected, CommitActions actions, String operation, StagedCommits.Staged staged) {}

    /**
     * The parts to write, or, when the whole transaction landed before and is sent again (its answer
     * was lost: every part a staged commit its table has ratified, at the version after the part's
     * expected one), the tables it left, to answer as it did.
     */
    record Read(List<Part> parts, List<TableRow> landed) {}

    private final TableRepository tables;
    private final ObjectProvider<StagedCommits> staged;
    private final ObjectProvider<DeltaLogPublication> publication;

    TransactionParts(
            TableRepository tables,
            ObjectProvider<StagedCommits> staged,
            ObjectProvider<DeltaLogPublication> publication) {
        this.tables = requireNonNull(tables, "tables");
        this.staged = requireNonNull(staged, "staged");
        this.publication = requireNonNull(publication, "publication");
    }

    /** The tables the transaction names, each needing MODIFY before any is read. */
    List<TableName> names(Transaction intent) {
        return parts(intent).stream().map(CommitIntent.Transaction.Part::table).toList();
    }

    /**
     * Every part, read and checked: 400 when the list is empty or names a table twice, a part has
     * both actions and a staged commit, or its actions or staged file are refused; 404 for a
     * missing table; 409 when a table is no longer at the part's expected version.
     */
    Read read(Transaction intent) {
        List<Part> parts = new ArrayList<>();
        List<TableRow> landed = new ArrayList<>();
        List<Long> landedExpected = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (Transaction.Part commit : parts(intent)) {
            TableRow table = tables.require(commit.table());
            if (!seen.add(table.id())) {
                throw MetadataErrors.invalidAction("table " + table.fullName() + " appears twice in one transaction");
            }
            long expected = CommitInputs.expectedVersion(commit.expectedVersion());
            if (landedBefore(table, expected, commit.stagedCommitFile())) {
                landed.add(table);
                landedExpected.add(expected);
                continue;
            }
            // before the actions are read: they are checked against the state at expected
            CommitPipeline.requireAt(table.fullName(), expected, table.currentVersion());
            StagedCommits.Staged stagedCommit = null;
            List<JsonNode> actions = commit.actions();
            if (commit.stagedCommitFile() != null) {
                if (actions != null && !actions.isEmpty()) {
                    throw MetadataErrors.invalidAction(
                            "commit to " + table.fullName() + ": actions or staged_commit, not both");
                }
                stagedCommit = staged().read(table, expected + 1, commit.stagedCommitFile());
                actions = stagedCommit.actions();
            }
            CommitActions parsed = ActionParser.parse(actions, CommitInputs.state(table));
            // a staged commit is published as the engine wrote it: nothing is filled in
            parts.add(new Part(
                    table,
                    expected,
                    stagedCommit == null ? parsed : parsed.writtenByAnEngine(),
                    commit.operation(),
                    stagedCommit));
        }
        if (!landed.isEmpty() && !parts.isEmpty()) {
            // part of it is a retry of what landed, part is new: not the same transaction
            CommitPipeline.requireAt(
                    landed.get(0).fullName(),
                    landedExpected.get(0),
                    landed.get(0).currentVersion());
        }
        parts.sort(Comparator.comparing(p -> p.table().id().toString()));
        landed.sort(Comparator.comparing(t -> t.id().toString())); // the order of the first answer
        return new Read(parts, landed);
    }

    /** The table is one past {@code expected}, ratified from the part's own staged file: sent again. */
    private boolean landedBefore(TableRow table, long expected, String stagedCommitFile) {
        return stagedCommitFile != null
                && table.currentVersion() == expected + 1
                && staged().ratifiedFrom(table, expected + 1, stagedCommitFile);
    }

    /** The staged commits' reader and recorder, or 400 where staged commits are not enabled. */
    StagedCommits staged() {
        StagedCommits found = staged.getIfAvailable();
        if (found == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "staged commits are not enabled here");
        }
        return found;
    }

    ObjectProvider<DeltaLogPublication> publication() {
        return publication;
    }

    /** Engines read a staged part only once it is published (as after a single staged commit): published now. */
    void publishStaged(List<Part> parts) {
        for (Part part : parts) {
            if (part.staged() != null) {
                publication.ifAvailable(p -> p.publishCommitted(part.table().id(), part.expected() + 1));
            }
        }
    }

    private static List<Transaction.Part> parts(Transaction intent) {
        if (intent.parts() == null || intent.parts().isEmpty()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "commits must not be empty");
        }
        return intent.parts();
    }
}
