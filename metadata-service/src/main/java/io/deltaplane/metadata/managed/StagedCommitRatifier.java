package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.commit.LogAppender;
import io.deltaplane.metadata.commit.StagedCommits;
import io.deltaplane.metadata.commit.StagedCommits.Staged;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one entry for an engine's single staged commit, whichever door it came through (Unity
 * Catalog's {@code add-commit}, delta-spark's legacy commits API): decides the version, reads the
 * staged file once ({@link StagedCommits#read}), writes it as the table's next version through
 * {@link LogAppender} (the same Delta rules and the same {@code CommitWriter} as {@code /api/v1}
 * commits) and records the bytes it read, in one transaction, then has the publisher write {@code
 * <version>.json} from those bytes before answering, so a writer that loses a race finds the winner
 * published (Kernel rebases only onto published commits). Version {@code v} is ratified only after
 * {@code v-1}, and at most once: the same file again is a no-op (clients retry), another file a 409.
 */
@Service
public class StagedCommitRatifier {

    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StagedCommits files;
    private final LogAppender appender;
    private final DeltaLogPublication publication;
    private final TransactionTemplate tx;

    public StagedCommitRatifier(
            TableRepository tables,
            CatalogManagedTables managed,
            StagedCommits files,
            LogAppender appender,
            DeltaLogPublication publication,
            TransactionTemplate tx) {
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.files = requireNonNull(files, "files");
        this.appender = requireNonNull(appender, "appender");
        this.publication = requireNonNull(publication, "publication");
        this.tx = requireNonNull(tx, "tx");
    }

    /**
     * Ratifies one staged commit as the table's next version and publishes it (see the class);
     * returns quietly for a retry of a commit that landed.
     *
     * @throws ApiException 409 VERSION_CONFLICT when another commit took the version; 400 when it
     *     skips a version, or the staged file or its actions are refused
     */
    public void ratify(TableRow table, CatalogCommit commit) {
        if (commit.version() <= table.currentVersion()) {
            if (sameCommit(table, commit)) {
                publication.publishThrough(table.id(), commit.version()); // a retry of a commit that landed
                return;
            }
            throw conflict(table, commit);
        }
        if (commit.version() > table.currentVersion() + 1) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "commit version " + commit.version() + " is not the next version: the latest is "
                            + table.currentVersion());
        }
        Staged staged = files.read(table, commit.version(), commit.fileName());
        try {
            tx.executeWithoutResult(status -> {
                appender.appendAsWritten(
                        table.id(),
                        commit.version() - 1,
                        staged.actions(),
                        Instant.ofEpochMilli(staged.inCommitTimestamp()));
                files.record(table, commit.version(), staged, commit.fileModificationTimestamp());
            });
        } catch (ApiException | DuplicateKeyException e) {
            if (sameCommit(table, commit)) {
                publication.publishThrough(table.id(), commit.version()); // ratified by a concurrent retry
                return;
            }
            if (e instanceof DuplicateKeyException
                    || (e instanceof ApiException api
                            && ErrorCode.VERSION_CONFLICT.code().equals(api.errorCode()))) {
                throw conflict(table, commit);
            }
            throw e;
        }
        publication.publishThrough(table.id(), commit.version());
    }

    /**
     * The 409 for a version another writer took. Before a writer hears it lost, the winners are in
     * {@code _delta_log}: Kernel resolves a conflict from the published files alone, and a winner
     * whose own request has not yet written its {@code <v>.json} would leave the loser retrying the
     * same version ("should be greater than the previous commit attempt").
     */
    private ApiException conflict(TableRow table, CatalogCommit commit) {
        TableRow now = tables.findById(table.id()).orElse(table);
        publication.publishThrough(now.id(), now.currentVersion());
        return MetadataErrors.versionConflict(table.fullName(), commit.version() - 1, now.currentVersion());
    }

    private boolean sameCommit(TableRow table, CatalogCommit commit) {
        return managed.commit(table.id(), commit.version())
                .map(c -> c.fileName().equals(commit.fileName()))
                .orElse(false);
    }
}
