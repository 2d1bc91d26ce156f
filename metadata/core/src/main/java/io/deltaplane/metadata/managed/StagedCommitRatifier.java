package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.CommitResponse;
import io.deltaplane.metadata.commit.DeltaLogPublication;
import io.deltaplane.metadata.commit.StagedCommits.Staged;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one entry for an engine's single staged commit, whichever door it came through (Unity
 * Catalog's {@code add-commit}, delta-spark's legacy commits API): decides the version, reads the
 * staged file once ({@link StagedCommitFiles#read}), writes it as the table's next version through
 * {@link CommitPipeline} (the same Delta rules and the same {@code CommitWriter} as {@code /api/v1}
 * commits) and records the bytes it read, in one transaction, then has the publisher write {@code
 * <version>.json} from those bytes before answering, so a writer that loses a race finds the winner
 * published (Kernel rebases only onto published commits). Version {@code v} is ratified only after
 * {@code v-1}, and at most once: the same file again is a no-op (clients retry), another file a 409.
 */
@Service
public class StagedCommitRatifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TableRepository tables;
    private final CatalogManagedTables managed;
    private final StagedCommitFiles files;
    private final CommitPipeline pipeline;
    private final DeltaLogPublication publication;
    private final TransactionTemplate tx;

    public StagedCommitRatifier(
            TableRepository tables,
            CatalogManagedTables managed,
            StagedCommitFiles files,
            CommitPipeline pipeline,
            DeltaLogPublication publication,
            TransactionTemplate tx) {
        this.tables = requireNonNull(tables, "tables");
        this.managed = requireNonNull(managed, "managed");
        this.files = requireNonNull(files, "files");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.publication = requireNonNull(publication, "publication");
        this.tx = requireNonNull(tx, "tx");
    }

    /**
     * What a ratified commit left: the table after it (its row as the commit wrote it, and the
     * metaData and protocol read with the row while the commit carried neither; read again only
     * after a commit with a metaData, or a retry), and the table's published version as publishing
     * it last saw it (empty: not known, the store failed).
     */
    public record Ratified(CatalogTable table, OptionalLong publishedVersion) {}

    /**
     * Ratifies one staged commit as the table's next version and publishes it (see the class);
     * returns quietly for a retry of a commit that landed.
     *
     * @throws ApiException 409 VERSION_CONFLICT when another commit took the version; 400 when it
     *     skips a version, or the staged file or its actions are refused
     */
    public void ratify(TableRow table, CatalogCommit commit) {
        ratify(new CatalogTable(table, managed.byTable(table.id())), commit);
    }

    /**
     * {@link #ratify(TableRow, CatalogCommit)} on the table and registration the caller read, which
     * are neither read again nor re-checked before the compare-and-swap (which re-checks the
     * version); returns the table as the commit left it.
     */
    public Ratified ratify(CatalogTable target, CatalogCommit commit) {
        TableRow table = target.table();
        if (commit.version() <= table.currentVersion()) {
            if (sameCommit(table, commit)) {
                // a retry of a commit that landed
                OptionalLong published = publication.publishThrough(table.id(), commit.version());
                return new Ratified(target.with(now(table), false), published);
            }
            throw conflict(table, commit);
        }
        if (commit.version() > table.currentVersion() + 1) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "commit version " + commit.version() + " is not the next version: the latest is "
                            + table.currentVersion());
        }
        Staged staged = files.read(table, target.registration(), commit.version(), commit.fileName());
        Instant at = Instant.ofEpochMilli(staged.inCommitTimestamp());
        CommitResponse written;
        try {
            // published below, before the answer: no background worker is woken to race for it
            written = publication.publishedByTheCaller(() -> tx.execute(status -> {
                CommitResponse response = pipeline.commit(new CommitIntent.Next(
                                table,
                                commit.version() - 1,
                                staged.actions(),
                                at,
                                null,
                                CommitIntent.Authorship.ENGINE,
                                currentProtocol(target)))
                        .response();
                files.record(table, commit.version(), staged, commit.fileModificationTimestamp());
                return response;
            }));
        } catch (ApiException | DuplicateKeyException e) {
            if (sameCommit(table, commit)) {
                // ratified by a concurrent retry
                OptionalLong published = publication.publishThrough(table.id(), commit.version());
                return new Ratified(target.with(now(table), false), published);
            }
            if (e instanceof DuplicateKeyException
                    || (e instanceof ApiException api
                            && ErrorCode.VERSION_CONFLICT.code().equals(api.errorCode()))) {
                throw conflict(table, commit);
            }
            throw e;
        }
        OptionalLong published = publication.publishCommitted(table.id(), commit.version());
        boolean keepsCurrent = staged.actions().stream().noneMatch(a -> a.has("metaData") || a.has("protocol"));
        return new Ratified(target.with(after(table, staged, written, at), keepsCurrent), published);
    }

    /** The table's current protocol as read with its row, or null (then the commit reads it). */
    private static JsonNode currentProtocol(CatalogTable target) {
        return target.current().map(c -> JSON.readTree(c.protocol())).orElse(null);
    }

    /**
     * The table's row as the commit wrote it: the version, its commit time, and the update time it
     * was stamped with (the In-Commit Timestamp); everything else as before, unless a metaData
     * action may have changed the partition columns, when the row is read.
     */
    private TableRow after(TableRow before, Staged staged, CommitResponse written, Instant at) {
        if (staged.actions().stream().anyMatch(a -> a.has("metaData"))) {
            return now(before);
        }
        return new TableRow(
                before.id(),
                before.catalog(),
                before.schema(),
                before.name(),
                before.location(),
                written.version(),
                written.committedAt(),
                before.partitionColumns(),
                before.comment(),
                before.createdAt(),
                at.truncatedTo(ChronoUnit.MILLIS),
                before.managed(),
                before.partitionKeys());
    }

    /** The table as it is now, or 404. */
    private TableRow now(TableRow table) {
        return tables.findById(table.id()).orElseThrow(() -> MetadataErrors.tableNotFound(table.fullName()));
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
        return files.ratifiedFrom(table, commit.version(), commit.fileName());
    }
}
