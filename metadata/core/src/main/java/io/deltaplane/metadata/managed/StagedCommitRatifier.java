package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.CommitWriter.Written;
import io.deltaplane.metadata.commit.Committed;
import io.deltaplane.metadata.commit.StagedCommits.Staged;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalLong;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one entry for an engine's single staged commit, whichever door it came through (Unity
 * Catalog's {@code add-commit}, delta-spark's legacy commits API): offers it to {@link
 * CommitPipeline} as a {@link CommitIntent.Ratify} on the table and registration the door read, the
 * staged file to be read once ({@link StagedCommitFiles#read}) only when it is the next version;
 * the pipeline decides the version (the next one only, at most once, the same file again a retry),
 * writes it with the same Delta rules and {@code CommitWriter} as every commit, records the bytes
 * read and publishes {@code <version>.json} before answering. This class only maps the result back
 * onto the table the door carries.
 */
@Service
public class StagedCommitRatifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TableRepository tables;
    private final StagedCommitFiles files;
    private final CommitPipeline pipeline;

    public StagedCommitRatifier(TableRepository tables, StagedCommitFiles files, CommitPipeline pipeline) {
        this.tables = requireNonNull(tables, "tables");
        this.files = requireNonNull(files, "files");
        this.pipeline = requireNonNull(pipeline, "pipeline");
    }

    /**
     * What a ratified commit left: the table after it (its row as the commit wrote it, and the
     * metaData and protocol read with the row while the commit carried neither; read again only
     * after a commit with a metaData, or a retry), and the table's published version as publishing
     * it last saw it (empty: not known, the store failed).
     */
    public record Ratified(CatalogTable table, OptionalLong publishedVersion) {}

    /**
     * Ratifies one staged commit as the table's next version and publishes it (see the class), on
     * the table and registration the caller read, which are neither read again nor re-checked before
     * the compare-and-swap (which re-checks the version); returns the table as the commit left it,
     * also for a retry of a commit that landed.
     *
     * @throws ApiException 403 without MODIFY on the table; 409 VERSION_CONFLICT when another commit
     *     took the version; 400 when it skips a version, or the staged file or its actions are refused
     */
    public Ratified ratify(CatalogTable target, CatalogCommit commit) {
        TableRow table = target.table();
        Committed committed = pipeline.commit(new CommitIntent.Ratify(
                table,
                commit.version(),
                commit.fileName(),
                commit.fileModificationTimestamp(),
                currentProtocol(target),
                () -> files.read(table, target.registration(), commit.version(), commit.fileName())));
        Committed.Ratification ratification = committed.ratified();
        if (ratification.landedBefore()) {
            return new Ratified(target.with(now(table), false), ratification.published());
        }
        Staged staged = ratification.staged();
        boolean keepsCurrent = staged.actions().stream().noneMatch(a -> a.has("metaData") || a.has("protocol"));
        return new Ratified(
                target.with(after(table, staged, committed.only()), keepsCurrent), ratification.published());
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
    private TableRow after(TableRow before, Staged staged, Written written) {
        if (staged.actions().stream().anyMatch(a -> a.has("metaData"))) {
            return now(before);
        }
        Instant at = Instant.ofEpochMilli(staged.inCommitTimestamp());
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
}
