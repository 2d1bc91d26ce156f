package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitWriter.Written;
import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@link CommitPipeline} made of an intent: the versions written, one per table (in the
 * order of a transaction's parts), for a {@link CommitIntent.Create} the new table's row, and for a
 * {@link CommitIntent.Ratify} how the staged commit was ratified.
 */
public record Committed(List<Written> versions, Optional<TableRow> created, Optional<Ratification> ratification) {

    /**
     * A ratified staged commit: {@code staged} is the file read and recorded, null when the version
     * had landed from the same file before (a retry: nothing written, {@code versions} empty); {@code
     * published} is the table's published version as publishing it last saw it (empty: not known,
     * the store failed).
     */
    public record Ratification(StagedCommits.Staged staged, OptionalLong published) {

        public boolean landedBefore() {
            return staged == null;
        }
    }

    public Committed {
        versions = List.copyOf(versions);
        requireNonNull(created, "created");
        requireNonNull(ratification, "ratification");
    }

    public Committed(List<Written> versions, Optional<TableRow> created) {
        this(versions, created, Optional.empty());
    }

    static Committed of(Written written) {
        return new Committed(List.of(written), Optional.empty());
    }

    /** How a {@link CommitIntent.Ratify} was ratified. */
    public Ratification ratified() {
        return ratification.orElseThrow(() -> new IllegalStateException("no staged commit was ratified"));
    }

    /** The one version a single-table intent made. */
    public Written only() {
        if (versions.size() != 1) {
            throw new IllegalStateException("made " + versions.size() + " versions, not one");
        }
        return versions.get(0);
    }

    /** The one version as {@code /api/v1} answers it. */
    public CommitResponse response() {
        Written written = only();
        return new CommitResponse(written.version(), written.committedAt());
    }

    /** The new table's row (a {@link CommitIntent.Create}). */
    public TableRow table() {
        return created.orElseThrow(() -> new IllegalStateException("no table was created"));
    }
}
