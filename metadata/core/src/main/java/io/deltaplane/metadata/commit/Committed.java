package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.commit.CommitWriter.Written;
import io.deltaplane.metadata.table.TableRow;
import java.util.List;
import java.util.Optional;

/**
 * What {@link CommitPipeline} made of an intent: the versions written, one per table (in the
 * order of a transaction's parts), and for a {@link CommitIntent.Create} the new table's row.
 */
public record Committed(List<Written> versions, Optional<TableRow> created) {

    public Committed {
        versions = List.copyOf(versions);
    }

    static Committed of(Written written) {
        return new Committed(List.of(written), Optional.empty());
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
